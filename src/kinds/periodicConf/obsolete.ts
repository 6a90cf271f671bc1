/**
 * Knob names that current pkg no longer reads. commands.md §5: `daily_status_security_pkgaudit_*`
 * and friends are the pre-2013 names; pkg ≥ 1.21's periodic scripts read only
 * `security_status_*` (the compatibility shim that warned was dropped).
 */
const OLD = /^daily_status_security_(pkgaudit|pkg_checksum|baseaudit)_([A-Za-z0-9_]+)$/;

/** The current name for an obsolete knob, or undefined when the name is current. */
export function currentNameFor(name: string): string | undefined {
  const m = OLD.exec(name);
  return m ? `security_status_${m[1]}_${m[2]}` : undefined;
}

/** One warning per obsolete name in `names`. */
export function obsoleteWarnings(names: Iterable<string>): string[] {
  const out: string[] = [];
  for (const n of names) {
    const current = currentNameFor(n);
    if (current) out.push(`${n} is an obsolete name that pkg >= 1.21 no longer reads; use ${current}`);
  }
  return out;
}
