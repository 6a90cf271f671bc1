/** Helpers asserting that no secret ever leaks into an error. */
import { inspect } from "util";
import { expect } from "vitest";

/** Distinctive strings used as secrets in tests; none may ever appear in an error. */
export const SECRET_PASSWORD = "pw-SECRET-d8f7a6c5-never-print";
export const SECRET_PASSPHRASE = "pp-SECRET-1b2c3d4e-never-print";

/** Every rendering of `err` that a user or log could see. */
export function renderings(err: unknown): string[] {
  const e = err as Error;
  return [String(e?.message), String(e?.stack), JSON.stringify(err), inspect(err, { depth: 10, showHidden: true }), String(err)];
}

/** Asserts that none of `secrets` (nor any substantial line of them) appears in any rendering of `err`. */
export function expectNoSecrets(err: unknown, secrets: readonly string[]): void {
  const needles = new Set<string>();
  for (const s of secrets) {
    needles.add(s);
    for (const line of s.split("\n")) if (line.trim().length >= 16 && !line.startsWith("-----")) needles.add(line.trim());
  }
  for (const text of renderings(err)) {
    for (const n of needles) expect(text.includes(n), `secret leaked into: ${text.slice(0, 300)}`).toBe(false);
  }
}
