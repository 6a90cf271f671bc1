/**
 * Boot environment names, as bectl and libbe accept them, and a template helper for the
 * advisory workflow ("a BE before each upgrade").
 *
 * libbe's be_validate_name() takes any valid ZFS dataset name component that keeps the full
 * dataset name ("zroot/ROOT/NAME") under ZFS's 255 characters; `bectl create` refuses spaces
 * (such a BE cannot be booted); a `/` makes libbe read the name as a dataset path and `@` is the
 * `beName@snapshot` form. The rule here is the conservative subset every release accepts
 * (older libbe allowed only letters, digits and `- _ .`), plus no leading `-`, which bectl's
 * getopt would read as an option.
 */

/** Longest name that fits under the usual BE root: 255 − "zroot/ROOT/".length. */
export const MAX_BOOT_ENVIRONMENT_NAME = 244;

/** Why `name` is not a usable boot environment name, or undefined when it is. */
export function bootEnvironmentNameProblem(name: string): string | undefined {
  if (name === "") return "must not be empty";
  if (/\s/.test(name)) return "must not contain spaces (bectl refuses them: such a boot environment cannot be booted)";
  if (name.includes("/")) return "must not contain '/' (bectl would read it as a ZFS dataset path)";
  if (name.includes("@")) {
    return "must not contain '@' (NAME@snapshot is bectl's snapshot form; to create the boot environment from a snapshot, give it as `source`)";
  }
  if (name.startsWith("-")) return "must not start with '-' (bectl would read it as an option)";
  if (name === "." || name === "..") return "must not be '.' or '..'";
  const bad = [...name].find((c) => !/[A-Za-z0-9._-]/.test(c));
  if (bad !== undefined) return `must contain only letters, digits and . _ - (found ${JSON.stringify(bad)})`;
  if (name.length > MAX_BOOT_ENVIRONMENT_NAME) {
    return `must be at most ${MAX_BOOT_ENVIRONMENT_NAME} characters (the ZFS dataset zroot/ROOT/NAME must stay under 256)`;
  }
  return undefined;
}

/** Why `source` (a BE name, or `beName@snapshot`) is not usable for `bectl create -e`, or undefined. */
export function bootEnvironmentSourceProblem(source: string): string | undefined {
  const at = source.indexOf("@");
  if (at < 0) return bootEnvironmentNameProblem(source);
  const be = source.slice(0, at);
  const snap = source.slice(at + 1);
  const p = bootEnvironmentNameProblem(be);
  if (p) return `the boot environment part ${p}`;
  if (snap === "" || snap.includes("@") || !/^[A-Za-z0-9._:-]+$/.test(snap)) {
    return "the snapshot part (after '@') must be a ZFS snapshot name: letters, digits and . _ - : only";
  }
  return undefined;
}

/** Thrown by {@link bootEnvironmentName} for a bad template or a name bectl would refuse. */
export class BootEnvironmentNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BootEnvironmentNameError";
  }
}

/** Values for {@link bootEnvironmentName}'s placeholders. */
export interface BootEnvironmentNameValues {
  /** For `<package>`: a pkg name such as "nginx" or "py311-requests". */
  package?: string;
  /** For `<version>`: e.g. "1.26.2_11,3". */
  version?: string;
  /** For the date placeholders: a Date (its UTC day) or "YYYY-MM-DD". Default: now. */
  date?: Date | string;
}

/**
 * Fills a name template and checks the result against bectl's rules.
 *
 * Placeholders: `<package>`, `<version>`, `<yyyymmdd>`, `<yyyy>`, `<mm>`, `<dd>`. Characters of
 * a value that a boot environment name cannot hold (`+` in "gtk+", `,` in a version) become `_`,
 * so one template serves every package; the template's own text is not rewritten.
 *
 * @example bootEnvironmentName("pre-<package>-<yyyymmdd>", { package: "nginx", date: "2024-10-01" })
 *          // "pre-nginx-20241001"
 * @throws BootEnvironmentNameError for an unknown placeholder, a missing value or an invalid result.
 */
export function bootEnvironmentName(template: string, values: BootEnvironmentNameValues = {}): string {
  const day = dayOf(values.date ?? new Date());
  const clean = (v: string) => v.replace(/[^A-Za-z0-9._-]/g, "_");
  const name = template.replace(/<([^<>]*)>/g, (_m, key: string) => {
    switch (key) {
      case "package":
      case "version": {
        const v = values[key];
        if (v === undefined || v === "") throw new BootEnvironmentNameError(`template ${JSON.stringify(template)} uses <${key}> but no ${key} was given`);
        return clean(v);
      }
      case "yyyymmdd":
        return `${day.y}${day.m}${day.d}`;
      case "yyyy":
        return day.y;
      case "mm":
        return day.m;
      case "dd":
        return day.d;
      default:
        throw new BootEnvironmentNameError(
          `template ${JSON.stringify(template)}: unknown placeholder <${key}> (known: <package>, <version>, <yyyymmdd>, <yyyy>, <mm>, <dd>)`,
        );
    }
  });
  const problem = bootEnvironmentNameProblem(name);
  if (problem) throw new BootEnvironmentNameError(`boot environment name ${JSON.stringify(name)} (from template ${JSON.stringify(template)}) ${problem}`);
  return name;
}

function dayOf(date: Date | string): { y: string; m: string; d: string } {
  if (typeof date === "string") {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    const t = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
    // Date.UTC rolls 2024-02-30 over to March: compare back to catch impossible days.
    if (!m || !t || t.getUTCMonth() + 1 !== Number(m[2]) || t.getUTCDate() !== Number(m[3])) {
      throw new BootEnvironmentNameError(`date ${JSON.stringify(date)} must be a real day written "YYYY-MM-DD"`);
    }
    return { y: m[1]!, m: m[2]!, d: m[3]! };
  }
  if (Number.isNaN(date.getTime())) throw new BootEnvironmentNameError("date is an invalid Date");
  // UTC, so a program gives the same name wherever it runs.
  const p = (n: number) => String(n).padStart(2, "0");
  return { y: String(date.getUTCFullYear()).padStart(4, "0"), m: p(date.getUTCMonth() + 1), d: p(date.getUTCDate()) };
}
