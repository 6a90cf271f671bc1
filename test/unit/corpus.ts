import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A folder of fixture files (a format's round-trip corpus), by file name, sorted. */
export function loadCorpus(folder: string): { corpus: ReadonlyMap<string, string>; fixture(name: string): string } {
  const corpus: ReadonlyMap<string, string> = new Map(
    readdirSync(folder)
      .filter((f) => !f.startsWith("."))
      .sort()
      .map((f) => [f, readFileSync(join(folder, f), "utf8")] as const),
  );
  return {
    corpus,
    fixture(name) {
      const t = corpus.get(name);
      if (t === undefined) throw new Error(`no fixture ${name}`);
      return t;
    },
  };
}
