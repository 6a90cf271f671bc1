import type { z } from "zod";

/** A Pulumi check failure: the property path and a sentence a person understands. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** Renders a zod path the way Pulumi shows property paths: `values["foo.bar"]`, `proxy.port`. */
export function propertyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (typeof part === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

/**
 * Turns zod issues into check failures. Union errors are flattened to their most specific
 * branch so the reason names the rule, not "invalid input".
 */
export function zodFailures(error: z.ZodError): CheckFailure[] {
  const out: CheckFailure[] = [];
  for (const issue of error.issues) {
    const property = propertyPath(issue.path);
    out.push({ property, reason: property ? `${property}: ${issue.message}` : issue.message });
  }
  return out;
}
