/**
 * pulumi-freebsd: Pulumi dynamic resources that keep FreeBSD hosts patched and hardened,
 * reconciled over SSH.
 */
export { PeriodicConf, type PeriodicConfArgs } from "./resources/periodicConf";
export type { ConnectionArgs } from "./resources/connection";
export { currentNameFor as currentPeriodicName } from "./kinds/periodicConf/obsolete";
export { getHostFacts, skewOf, type HostFacts, type BootEnvironmentFact } from "./facts";
export { DailySecurityAudit, type DailySecurityAuditArgs } from "./presets/dailySecurityAudit";
export { RECOMMENDED_AUDIT, securityAuditValues, type SecurityAuditSettings, type AuditValues } from "./presets/securityAudit";
