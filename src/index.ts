/**
 * pulumi-freebsd: Pulumi dynamic resources that keep FreeBSD hosts patched and hardened,
 * reconciled over SSH.
 */
export { PeriodicConf, type PeriodicConfArgs } from "./resources/periodicConf";
export type { ConnectionArgs } from "./resources/connection";
export { currentNameFor as currentPeriodicName } from "./kinds/periodicConf/obsolete";
