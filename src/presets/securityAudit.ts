/**
 * A typed preset for the daily security audit that pkg's periodic scripts run
 * (commands.md §5). The knobs are not in /etc/defaults/periodic.conf: pkg's scripts default
 * them, so the preset writes only what you set, into /etc/periodic.conf.
 */
import { currentNameFor } from "../kinds/periodicConf/obsolete";

type Value = string | boolean | number;

/** The daily security audit, knob by knob (defaults are those of pkg's scripts). */
export interface SecurityAuditSettings {
  /** `security_status_pkgaudit_enable` (410.pkg-audit): audit installed packages daily. pkg's default: YES. */
  pkgAudit?: boolean;
  /** `security_status_pkgaudit_quiet`: `pkg audit -q`, only the vulnerable package names. Default YES. */
  quiet?: boolean;
  /** `security_status_pkgaudit_expiry`: refetch vuln.xml when older than this many days. Default 2. */
  expiryDays?: number;
  /** `security_status_pkgaudit_jails`: jails to audit too, `*` for every running jail. */
  jails?: string;
  /** `security_status_pkgaudit_expiration`: report packages past their expiration date. Default YES. */
  expiration?: boolean;
  /** `security_status_pkgaudit_deprecation`: report deprecated packages. Default YES. */
  deprecation?: boolean;
  /** `security_status_baseaudit_enable` (405.pkg-base-audit, pkg ≥ 1.18): audit the base system's kernel and userland. Default YES. */
  baseAudit?: boolean;
  /** `security_status_pkg_checksum_enable` (460.pkg-checksum): `pkg check -qsa`, catches altered package files. Default NO. */
  checksums?: boolean;
  /** `daily_status_security_inline`: put the security report in the daily mail instead of its own. Default NO. */
  inline?: boolean;
}

const KNOBS: Record<keyof SecurityAuditSettings, string> = {
  pkgAudit: "security_status_pkgaudit_enable",
  quiet: "security_status_pkgaudit_quiet",
  expiryDays: "security_status_pkgaudit_expiry",
  jails: "security_status_pkgaudit_jails",
  expiration: "security_status_pkgaudit_expiration",
  deprecation: "security_status_pkgaudit_deprecation",
  baseAudit: "security_status_baseaudit_enable",
  checksums: "security_status_pkg_checksum_enable",
  inline: "daily_status_security_inline",
};

/** The recommended posture: every audit on, quiet reports, checksums on, vuln.xml at most a day old. */
export const RECOMMENDED_AUDIT: SecurityAuditSettings = {
  pkgAudit: true,
  quiet: true,
  expiryDays: 1,
  baseAudit: true,
  checksums: true,
};

/** The periodic.conf values of a preset, and warnings about renamed legacy knobs. */
export interface AuditValues {
  values: Record<string, Value>;
  warnings: string[];
}

/**
 * Renders the settings as periodic.conf values. `legacy` holds knobs by name, as old runbooks
 * write them: obsolete `daily_status_security_*` names are mapped to the names pkg reads now,
 * with a warning; a legacy knob that contradicts a typed setting is an error.
 */
export function securityAuditValues(settings: SecurityAuditSettings, legacy: Record<string, Value> = {}): AuditValues {
  const values: Record<string, Value> = {};
  const warnings: string[] = [];
  for (const [key, name] of Object.entries(KNOBS) as [keyof SecurityAuditSettings, string][]) {
    const v = settings[key];
    if (v === undefined) continue;
    if (key === "expiryDays" && (!Number.isInteger(v) || (v as number) < 0)) {
      throw new Error(`expiryDays must be a whole number of days, got ${String(v)}`);
    }
    values[name] = v as Value;
  }
  for (const [old, v] of Object.entries(legacy)) {
    const name = currentNameFor(old) ?? old;
    if (name !== old) warnings.push(`${old} is an obsolete name that pkg >= 1.21 no longer reads; written as ${name}`);
    if (name in values && String(values[name]) !== String(v)) {
      throw new Error(`${old} = ${String(v)} contradicts ${name} = ${String(values[name])}; keep one of them`);
    }
    values[name] = v;
  }
  return { values, warnings };
}
