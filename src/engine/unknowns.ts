/**
 * Pulumi sends inputs that are not known yet (during preview) as this sentinel string, whatever
 * the property's type (sdk/nodejs/runtime/rpc.ts `unknownValue`, pulumi/pulumi#6310).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when the value, or anything nested in it, is the preview's unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** Drops the keys the engine adds to every dynamic resource's inputs and outputs. */
export function withoutEngineKeys<T extends Record<string, unknown>>(props: T): Omit<T, "__provider"> {
  const { __provider: _ignored, ...rest } = props as T & { __provider?: unknown };
  return rest;
}
