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
export { PkgRepository, freebsdPkgUrl, withPkgBranch, type PkgRepositoryArgs, type PkgRepositorySettings } from "./resources/pkgRepository";
export { JailConf, hardened, hardenedWith, type JailConfArgs, type JailParamValue } from "./resources/jailConf";
export { FileIntegrityBaseline, type FileIntegrityBaselineArgs, type ChangedPathOutput } from "./resources/fileIntegrityBaseline";
export { BootEnvironment, bootEnvironmentName, BootEnvironmentNameError, type BootEnvironmentArgs, type BootEnvironmentNameValues } from "./resources/bootEnvironment";
export { Package, type PackageArgs, type SnapshotBeforeChangeArgs, type PackageVulnerabilityOutput } from "./resources/package";
export { PackageLock, type PackageLockArgs } from "./resources/packageLock";
export { VulnerabilityAudit, type VulnerabilityAuditArgs, type VulnerablePackageOutput } from "./resources/vulnerabilityAudit";
export { ServiceRestart, type ServiceRestartArgs } from "./resources/serviceRestart";
export { AdvisoryRemediation, type AdvisoryRemediationArgs, type AffectedPackage } from "./components/advisoryRemediation";
