import type { RcInputValue } from "./schema";

/** How a declared value is written to the file. */
export function renderValue(v: RcInputValue): string {
  if (typeof v === "boolean") return v ? "YES" : "NO";
  return String(v);
}

/**
 * rc.subr's checkyesno: YES/TRUE/ON/1 and NO/FALSE/OFF/0, any case. Anything else is neither,
 * which checkyesno reports as a misconfiguration.
 */
export function yesNo(text: string): boolean | undefined {
  const t = text.toLowerCase();
  if (t === "yes" || t === "true" || t === "on" || t === "1") return true;
  if (t === "no" || t === "false" || t === "off" || t === "0") return false;
  return undefined;
}

/**
 * Whether the file's value satisfies the declared one. Quoting never matters (values are compared
 * after sh quote removal); a boolean matches any spelling checkyesno reads the same way; strings
 * and numbers match exactly.
 */
export function satisfies(want: RcInputValue, live: string | undefined): boolean {
  if (live === undefined) return false;
  if (typeof want === "boolean") return yesNo(live) === want;
  return renderValue(want) === live;
}
