/** Shared by the package kinds: the installed-set observation, its per-host cache, pkg execution. */
export * from "./installed";
export * from "./cache";
export * from "./exec";
export * from "./observe";
export * from "./snapshot";
