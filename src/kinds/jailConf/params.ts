/**
 * The jail parameters JailConf knows (commands.md §6: kernel parameters, `allow.*`, and jail(8)'s
 * pseudo-parameters), their value types, and how a declared value compares with what a file says.
 */
import { renderWord, unrenderableString, type JcEffective, type JcRenderValue } from "../../formats/jailconf";

/** A value as the user declares it. */
export type JailParamValue = boolean | number | string | string[];

/** How a parameter's value is written and compared. */
export type ParamType =
  | { t: "bool" }
  | { t: "int"; min?: number; max?: number }
  | { t: "string" }
  | { t: "list" }
  | { t: "enum"; values: readonly string[] }
  | { t: "readonly" };

const bool = { t: "bool" } as const;
const str = { t: "string" } as const;
const list = { t: "list" } as const;
const int = (min?: number, max?: number): ParamType => ({ t: "int", ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });
const jailsys = { t: "enum", values: ["inherit", "new", "disable"] } as const;
const readonly = { t: "readonly" } as const;

const ALLOW = [
  "allow.set_hostname", "allow.sysvipc", "allow.raw_sockets", "allow.chflags",
  "allow.mount", "allow.mount.devfs", "allow.mount.fdescfs", "allow.mount.fusefs", "allow.mount.nullfs",
  "allow.mount.procfs", "allow.mount.linprocfs", "allow.mount.linsysfs", "allow.mount.tmpfs", "allow.mount.zfs",
  "allow.quotas", "allow.socket_af", "allow.mlock", "allow.reserved_ports", "allow.read_msgbuf",
  "allow.unprivileged_proc_debug", "allow.suser", "allow.nfsd", "allow.extattr", "allow.adjtime",
  "allow.settime", "allow.routing", "allow.unprivileged_parent_tampering", "allow.setaudit",
  "allow.vmm", "allow.vmm_ppt", "allow.dying",
];

const EXEC_COMMANDS = [
  "exec.prepare", "exec.prestart", "exec.created", "exec.start", "command", "exec.poststart",
  "exec.prestop", "exec.stop", "exec.poststop", "exec.release",
];

/** Every parameter name accepted, with its type. */
export const PARAMS: ReadonlyMap<string, ParamType> = new Map<string, ParamType>([
  ["jid", int(1)],
  ["path", str],
  ["ip4.addr", list], ["ip4.saddrsel", bool], ["ip4", jailsys],
  ["ip6.addr", list], ["ip6.saddrsel", bool], ["ip6", jailsys],
  ["vnet", { t: "enum", values: ["inherit", "new"] }],
  ["host.hostname", str], ["host.domainname", str], ["host.hostuuid", str], ["host.hostid", int(0)],
  ["host", { t: "enum", values: ["inherit", "new"] }],
  ["securelevel", int(-1, 3)],
  ["devfs_ruleset", int(0, 65535)],
  ["children.max", int(0)],
  ["children.cur", readonly],
  ["enforce_statfs", int(0, 2)],
  ["persist", bool],
  ["cpuset.id", readonly], ["dying", readonly], ["parent", readonly],
  ["osrelease", str], ["osreldate", int(0)], ["mac.label", str], ["meta", str], ["env", str],
  ["linux", jailsys], ["linux.osname", str], ["linux.osrelease", str], ["linux.oss_version", int(0)],
  ["sysvmsg", jailsys], ["sysvsem", jailsys], ["sysvshm", jailsys],
  ["zfs.mount_snapshot", int(0, 1)],
  ...ALLOW.map((n) => [n, bool] as [string, ParamType]),
  ...EXEC_COMMANDS.map((n) => [n, list] as [string, ParamType]),
  ["exec.clean", bool], ["exec.jail_user", str], ["exec.system_jail_user", bool], ["exec.system_user", str],
  ["exec.timeout", int(0)], ["exec.consolelog", str], ["exec.fib", int(0)],
  ["stop.timeout", int(0)], ["interface", str], ["vnet.interface", list], ["ip_hostname", bool],
  ["zfs.dataset", list],
  ["mount", list], ["mount.fstab", str], ["mount.devfs", bool], ["mount.fdescfs", bool], ["mount.procfs", bool],
  ["depend", list],
]);

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The known name closest to `name`. */
export function closestName(name: string): string {
  let best = "";
  let bestD = Infinity;
  for (const k of PARAMS.keys()) {
    const d = distance(name, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

/** Why `name` cannot be managed, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  const type = PARAMS.get(name);
  if (type?.t === "readonly") return `${name} is a read-only jail parameter (jail(8) reports it; it cannot be set)`;
  if (type) return undefined;
  if (name === "name") return "the jail's name is the `jail` input, not a parameter";
  const m = /^(.*\.)?no(.+)$/.exec(name);
  const positive = m ? `${m[1] ?? ""}${m[2]}` : undefined;
  if (positive !== undefined && PARAMS.get(positive)?.t === "bool") {
    return `write ${JSON.stringify(positive)}: false instead of the "no" form ${JSON.stringify(name)} (booleans are declared true/false and written the FreeBSD way)`;
  }
  return `unknown jail parameter ${JSON.stringify(name)} (only the jail.conf(5)/jail(8) parameters are accepted); did you mean ${JSON.stringify(closestName(name))}?`;
}

/** Why `value` is not valid for `name` (a known, settable name), or undefined. */
export function valueProblem(name: string, value: JailParamValue): string | undefined {
  const type = PARAMS.get(name)!;
  const strings = (xs: string[]) => {
    for (const s of xs) {
      const bad = unrenderableString(s);
      if (bad !== undefined) return `${JSON.stringify(s)} cannot be written to jail.conf: ${bad}`;
    }
    return undefined;
  };
  switch (type.t) {
    case "bool":
      return typeof value === "boolean" ? undefined : `${name} is a boolean parameter: declare true or false`;
    case "int": {
      if (typeof value !== "number" || !Number.isSafeInteger(value)) return `${name} takes an integer`;
      if (type.min !== undefined && value < type.min) return `${name} must be at least ${type.min}`;
      if (type.max !== undefined && value > type.max) return `${name} must be at most ${type.max}`;
      return undefined;
    }
    case "enum":
      return typeof value === "string" && type.values.includes(value) ? undefined : `${name} must be one of ${type.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "string":
      return typeof value === "string" ? strings([value]) : `${name} takes a string`;
    case "list":
      if (typeof value === "string") return strings([value]);
      if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")) return strings(value);
      return `${name} takes a string or a non-empty list of strings`;
    case "readonly":
      return `${name} is read-only`;
  }
}

/** What is written for a declared value. */
export function renderValue(value: JailParamValue): JcRenderValue {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return [String(value)];
  return typeof value === "string" ? [value] : value;
}

/** jail(8)'s reading of a boolean word (true/false, any case, or an integer: non-zero is true). */
function boolWord(s: string | undefined): boolean | undefined {
  if (s === undefined) return undefined;
  const l = s.toLowerCase();
  if (l === "true") return true;
  if (l === "false") return false;
  return /^[+-]?\d+$/.test(s) ? Number(s) !== 0 : undefined;
}

/**
 * The effective value as the declared type, or undefined when it cannot be known (a variable, a
 * malformed value). Semantic: `allow.raw_sockets = 0;`, `allow.raw_sockets = false;` and
 * `allow.noraw_sockets;` are all `false`; `enforce_statfs = "2";` is `2`.
 */
export function typedValue(name: string, eff: JcEffective | undefined): JailParamValue | undefined {
  if (eff === undefined) return undefined;
  const type = PARAMS.get(name);
  const vals = eff.values;
  if (type?.t === "bool") {
    const v = vals === null ? true : vals.length === 1 ? boolWord(vals[0]) : undefined;
    return v === undefined ? undefined : eff.negated ? !v : v;
  }
  if (eff.negated || vals === null || vals.some((v) => v === undefined)) return undefined;
  const words = vals as string[];
  if (type?.t === "int") return words.length === 1 && /^[+-]?\d+$/.test(words[0]!) ? Number(words[0]) : undefined;
  if (type?.t === "list") return words.length === 1 ? words[0] : words;
  return words.length === 1 ? words[0] : words;
}

/** Whether the effective value is the declared one. */
export function satisfies(name: string, want: JailParamValue, eff: JcEffective | undefined): boolean {
  const have = typedValue(name, eff);
  if (have === undefined) return false;
  const norm = (v: JailParamValue) => JSON.stringify(typeof v === "string" && PARAMS.get(name)?.t === "list" ? [v] : v);
  return norm(have) === norm(want);
}

/** The statement text of a declared value, for logs (`allow.noraw_sockets;`). */
export function showValue(value: JailParamValue): string {
  const r = renderValue(value);
  return typeof r === "boolean" ? String(r) : r.map(renderWord).join(", ");
}
