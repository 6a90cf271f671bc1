import type { z } from "zod";
import type { ConnectionArgs, Remote } from "../transport";

/** What every resource kind's inputs have: where to connect, and the resource's own name. */
export interface BaseInputs {
  connection: ConnectionArgs;
  /** Set by the resource class to the Pulumi resource name, so messages can say which resource. */
  resourceName?: string | undefined;
}

/** What an operation gets: the host to talk to, and a label for messages. */
export interface HostContext {
  readonly remote: Remote;
  /** "root@host:port" */
  readonly host: string;
  /** "PeriodicConf 'audit'" */
  readonly resource: string;
  /** Progress lines for the operator (shown by Pulumi as provider output). */
  log(message: string): void;
}

/**
 * A resource kind = schema + observe + plan + apply (see ARCHITECTURE.md). The adapter in
 * ./adapter.ts turns any kind into a Pulumi dynamic provider; a kind holds only domain logic.
 *
 * - `D` desired state (the validated inputs), `L` live state (what observe returns),
 * - `A` an action (what plan returns, what apply runs), `M` the kind's memory between runs
 *   (for example the values found before the resource took a variable over), kept in outputs.
 */
export interface Kind<D extends BaseInputs, L, A, M> {
  /** The type name: `pulumi-nodejs:dynamic/freebsd:<name>`. */
  readonly name: string;
  /** zod schema of the inputs. */
  readonly schema: z.ZodType<D, unknown>;
  /** Inputs whose change means "another object on the host": a change replaces the resource. */
  replaceKeys(d: D): Record<string, unknown>;
  /** Read-only commands returning the live state. Runs during preview --refresh: no side effects. */
  observe(ctx: HostContext, d: D): Promise<L>;
  /** The live state as recorded in outputs by {@link outputs}, so diff needs no host access. */
  liveFromOutputs(outputs: Record<string, unknown>): L | undefined;
  /** Memory for a run: from the previous outputs when there are some, else from what was found. */
  memory(live: L, d: D, previous: M | undefined): M;
  memoryFromOutputs(outputs: Record<string, unknown>): M | undefined;
  /** Pure: the ordered actions that take `live` to `d`; empty when converged. */
  plan(live: L, d: D, memory: M): A[];
  /** Pure: the actions `pulumi destroy` runs (the kind's documented delete semantics). */
  planDelete(live: L, d: D, memory: M): A[];
  /** Runs the actions. The adapter observes again afterwards and checks convergence. */
  apply(ctx: HostContext, d: D, live: L, actions: A[], memory: M): Promise<void>;
  /** One line per action, for logs and errors. */
  describe(action: A): string;
  /** The desired inputs reshaped to what the host has: read returns them, so drift names properties. */
  liveInputs(live: L, d: D): D;
  /** Observed outputs beyond the inputs (content, observed values, memory…). */
  outputs(live: L, d: D, memory: M): Record<string, unknown>;
  /** Identifier of the managed object on its host. */
  id(d: D): string;
  /**
   * Optional: whether the managed object is there at all. When it returns false, refresh (read)
   * answers with an empty id, which tells the engine the resource is gone: `preview --refresh`
   * shows it deleted and `up --refresh` creates it again. Kinds without it are always there.
   */
  exists?(live: L, d: D): boolean;
  /**
   * Optional: inputs that only the stored state needs (delete reads them from it), never the
   * host. A change makes diff report an update even when the plan is empty, so the new value is
   * stored; the update then runs no actions.
   */
  storedKeys?(d: D): Record<string, unknown>;
}

/** Any kind, as stored in the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKind = Kind<any, any, any, any>;
