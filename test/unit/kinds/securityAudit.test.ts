import { describe, expect, it } from "vitest";
import { RECOMMENDED_AUDIT, securityAuditValues } from "../../../src/presets/securityAudit";

describe("security audit preset (commands.md §5)", () => {
  it("writes only the knobs that are set, under the names pkg's scripts read", () => {
    expect(securityAuditValues({ pkgAudit: true, expiryDays: 1, checksums: true }).values).toEqual({
      security_status_pkgaudit_enable: true,
      security_status_pkgaudit_expiry: 1,
      security_status_pkg_checksum_enable: true,
    });
    expect(Object.keys(securityAuditValues(RECOMMENDED_AUDIT).values)).toContain("security_status_baseaudit_enable");
  });
  it("maps the old daily_status_security_* names with a warning", () => {
    const r = securityAuditValues({}, { daily_status_security_pkgaudit_enable: "YES", daily_status_security_inline: "NO" });
    expect(r.values).toEqual({ security_status_pkgaudit_enable: "YES", daily_status_security_inline: "NO" });
    expect(r.warnings).toEqual([expect.stringContaining("daily_status_security_pkgaudit_enable is an obsolete name")]);
  });
  it("refuses a legacy knob that contradicts a typed setting, and impossible expiries", () => {
    expect(() => securityAuditValues({ pkgAudit: false }, { daily_status_security_pkgaudit_enable: true })).toThrow(/contradicts/);
    expect(() => securityAuditValues({ expiryDays: 1.5 })).toThrow(/whole number/);
  });
});
