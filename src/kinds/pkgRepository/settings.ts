/**
 * A repository's settings as pkg reads them from one file (commands.md §2 semantics), and the
 * canonical file the resource writes.
 */
import { entriesOf, parseUcl, printUcl, ucl, type UclObject, type UclValue } from "../../formats/ucl";

/** Mirror types pkg knows; anything else it reads as none. */
export type MirrorType = "srv" | "http" | "none";
/** Signature types pkg accepts; anything else is an error. */
export type SignatureType = "none" | "fingerprints" | "pubkey";

/** The settings of one repository, only the keys the file (or the inputs) give. */
export interface RepoSettings {
  url?: string;
  mirrorType?: MirrorType;
  signatureType?: SignatureType;
  fingerprints?: string;
  pubkey?: string;
  enabled?: boolean;
  priority?: number;
  ipVersion?: number;
  env?: Record<string, string>;
}

/** Setting names in file order, with their key in the file. */
export const SETTING_KEYS = [
  ["url", "url"],
  ["mirrorType", "mirror_type"],
  ["signatureType", "signature_type"],
  ["fingerprints", "fingerprints"],
  ["pubkey", "pubkey"],
  ["enabled", "enabled"],
  ["priority", "priority"],
  ["ipVersion", "ip_version"],
  ["env", "env"],
] as const satisfies ReadonlyArray<readonly [keyof RepoSettings, string]>;

/** What one repository file says about repository `name`. */
export interface ObservedRepo {
  /** The effective settings for `name` in this file (duplicates merged the way pkg merges them). */
  settings: RepoSettings;
  /** Whether the file has a block for `name` at all. */
  defined: boolean;
  /** Other top-level names in the file (the resource owns the file: they are drift). */
  otherRepos: string[];
  /** Keys in the block that the resource does not manage (ssh_args, type…): drift too. */
  unmanaged: string[];
  /** What pkg would complain about (wrong value types, duplicates…), in pkg's words where it has them. */
  problems: string[];
}

const str = (v: UclValue): string | undefined => (v.type === "string" ? v.value : undefined);

/**
 * Reads repository `name` from a file's text. Throws UclParseError when the text is outside the
 * subset. Keys are matched without case, as pkg does; within a block the last duplicate wins.
 */
export function readRepoFile(text: string, name: string): ObservedRepo {
  const doc = parseUcl(text);
  const out: ObservedRepo = { settings: {}, defined: false, otherRepos: [], unmanaged: [], problems: [] };
  for (const e of doc.entries) if (e.key !== name && !out.otherRepos.includes(e.key)) out.otherRepos.push(e.key);
  const blocks = entriesOf(doc, name);
  if (blocks.length > 1) out.problems.push(`the repository '${name}' is defined ${blocks.length} times in the file`);
  for (const b of blocks) {
    if (b.value.type !== "object") {
      out.problems.push(`Ignoring bad configuration entry '${name}' (not an object)`);
      continue;
    }
    out.defined = true;
    // A later block merges into the earlier one; priority is reset unless given (pkg_config.c).
    if (out.settings.priority !== undefined) delete out.settings.priority;
    readBlock(b.value, name, out);
  }
  return out;
}

function readBlock(obj: UclObject, name: string, out: ObservedRepo): void {
  const s = out.settings;
  const seen = new Set<string>();
  const expect = (key: string, what: string) => out.problems.push(`Expecting ${what} for the '${key}' key of the '${name}' repo`);
  for (const e of obj.entries) {
    const key = e.key.toLowerCase();
    if (seen.has(key)) out.problems.push(`'${key}' is set more than once in the '${name}' repo`);
    seen.add(key);
    const v = e.value;
    switch (key) {
      case "url":
      case "fingerprints":
      case "pubkey": {
        const t = str(v);
        if (t === undefined) expect(key, "a string");
        else s[key] = t;
        break;
      }
      case "mirror_type": {
        const t = str(v);
        if (t === undefined) expect(key, "a string");
        else s.mirrorType = t.toLowerCase() === "srv" ? "srv" : t.toLowerCase() === "http" ? "http" : "none";
        break;
      }
      case "signature_type": {
        const t = str(v);
        const l = t?.toLowerCase();
        if (t === undefined) expect(key, "a string");
        else if (l === "none" || l === "fingerprints" || l === "pubkey") s.signatureType = l;
        else out.problems.push(`Invalid signature_type '${t}' for the '${name}' repo`);
        break;
      }
      case "enabled":
        if (v.type !== "boolean") expect(key, "a boolean");
        else s.enabled = v.value;
        break;
      case "priority":
      case "ip_version":
        if (v.type !== "integer") expect(key, "an integer");
        else if (key === "priority") s.priority = v.value;
        else s.ipVersion = v.value;
        break;
      case "env": {
        if (v.type !== "object") {
          expect(key, "an object");
          break;
        }
        const env: Record<string, string> = {};
        for (const x of v.entries) {
          const t = str(x.value);
          if (t === undefined) out.problems.push(`env.${x.key} of the '${name}' repo is not a string`);
          else env[x.key] = t;
        }
        s.env = env;
        break;
      }
      default:
        out.unmanaged.push(e.key);
    }
  }
}

/** The header of every file the resource writes. */
export const MANAGED_HEADER = "# Managed by pulumi-freebsd (PkgRepository): `pulumi up` reverts edits made here.";

/** The canonical file for `name` with exactly `settings`. */
export function renderRepoFile(name: string, settings: RepoSettings): string {
  const pairs: Array<[string, UclValue]> = [];
  for (const [prop, key] of SETTING_KEYS) {
    const v = settings[prop];
    if (v === undefined) continue;
    if (typeof v === "string") pairs.push([key, ucl.str(v)]);
    else if (typeof v === "boolean") pairs.push([key, ucl.bool(v)]);
    else if (typeof v === "number") pairs.push([key, ucl.int(v)]);
    else pairs.push([key, ucl.obj(Object.keys(v).sort().map((k) => [k, ucl.str(v[k]!)] as const))]);
  }
  return printUcl(ucl.obj([[name, ucl.obj(pairs)]], [MANAGED_HEADER]));
}
