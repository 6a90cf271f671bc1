import { remoteFor } from "../transport";
import { describeFailure, NotConvergedError } from "./errors";
import { zodFailures, type CheckFailure } from "./failures";
import { withHostLock } from "./hostlock";
import type { AnyKind, BaseInputs, HostContext } from "./kind";
import { containsUnknown, withoutEngineKeys } from "./unknowns";

type Props = Record<string, unknown>;

/** The dynamic-provider methods, written once for every kind (ARCHITECTURE.md "the adapter"). */
export interface KindProvider {
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }>;
  diff(id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces?: string[] }>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props): Promise<{ id: string; props: Props; inputs: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(id: string, props: Props): Promise<void>;
}

function inputKeys(kind: AnyKind): string[] {
  const shape = (kind.schema as unknown as { shape?: Record<string, unknown> }).shape;
  if (!shape) throw new Error(`kind ${kind.name}: schema must be a zod object`);
  return Object.keys(shape);
}

/** Builds the provider for one kind. */
export function kindProvider(kind: AnyKind): KindProvider {
  const keys = inputKeys(kind);
  const pickInputs = (props: Props): Props =>
    Object.fromEntries(Object.entries(props).filter(([k, v]) => keys.includes(k) && v !== undefined));
  const parse = (raw: Props): BaseInputs => kind.schema.parse(raw) as BaseInputs;

  function context(d: BaseInputs): HostContext {
    const remote = remoteFor(d.connection);
    const resource = `${kind.name} '${d.resourceName ?? kind.id(d)}'`;
    return {
      remote,
      host: remote.label,
      resource,
      log: (message) => console.log(`${resource} on ${remote.label}: ${message}`),
    };
  }

  async function guarded<T>(d: BaseInputs, operation: string, fn: (ctx: HostContext) => Promise<T>): Promise<T> {
    let ctx: HostContext | undefined;
    try {
      ctx = context(d);
      return await fn(ctx);
    } catch (err) {
      const resource = ctx?.resource ?? `${kind.name} '${d.resourceName ?? "?"}'`;
      const host = ctx?.host ?? `${d.connection.user ?? "root"}@${d.connection.host}:${d.connection.port ?? 22}`;
      throw describeFailure(resource, host, operation, err);
    }
  }

  /** observe → plan → apply → observe again; fails unless the second plan is empty. */
  async function converge(ctx: HostContext, raw: Props, d: BaseInputs, previousMemory: unknown): Promise<Props> {
    return withHostLock(ctx.host, async () => {
      const live = await kind.observe(ctx, d);
      const memory = kind.memory(live, d, previousMemory);
      const actions = kind.plan(live, d, memory);
      let after = live;
      if (actions.length > 0) {
        for (const a of actions) ctx.log(kind.describe(a));
        await kind.apply(ctx, d, live, actions, memory);
        after = await kind.observe(ctx, d);
        const remaining = kind.plan(after, d, memory);
        if (remaining.length > 0) throw new NotConvergedError(remaining.map((a) => kind.describe(a)));
      }
      return { ...kind.liveInputs(after, raw as never), ...kind.outputs(after, d, memory) };
    });
  }

  return {
    async check(_olds, news) {
      const raw = withoutEngineKeys(news);
      // Unknown values are validated on the real run, when the engine calls check again.
      if (containsUnknown(raw)) return { inputs: news, failures: [] };
      const failures: CheckFailure[] = [];
      for (const k of Object.keys(raw)) {
        if (!keys.includes(k)) failures.push({ property: k, reason: `${k}: unknown property of ${kind.name} (known: ${keys.join(", ")})` });
      }
      const result = kind.schema.safeParse(raw);
      if (!result.success) failures.push(...zodFailures(result.error));
      // The inputs go back unchanged: secretness is re-applied by key, and defaults stay implicit.
      return { inputs: news, failures };
    },

    async diff(_id, olds, news) {
      const rawNew = withoutEngineKeys(news);
      if (containsUnknown(rawNew)) return { changes: true };
      const dNew = kind.schema.safeParse(rawNew);
      const dOld = kind.schema.safeParse(pickInputs(olds));
      if (!dNew.success || !dOld.success) return { changes: true };
      const a = dOld.data as BaseInputs;
      const b = dNew.data as BaseInputs;
      const replaces: string[] = [];
      const target = (c: BaseInputs["connection"]) => ({ host: c.host, port: c.port, user: c.user });
      if (!sameJson(target(a.connection), target(b.connection))) replaces.push("connection");
      const ra = kind.replaceKeys(a);
      const rb = kind.replaceKeys(b);
      for (const k of Object.keys({ ...ra, ...rb })) if (!sameJson(ra[k], rb[k])) replaces.push(k);
      if (replaces.length > 0) return { changes: true, replaces };
      // A changed credential or timeout must reach the stored outputs, or destroy would use the old one.
      if (!sameJson(a.connection, b.connection) || a.resourceName !== b.resourceName) return { changes: true };
      if (kind.storedKeys && !sameJson(kind.storedKeys(a), kind.storedKeys(b))) return { changes: true };
      const live = kind.liveFromOutputs(olds);
      if (live === undefined) return { changes: true };
      const memory = kind.memory(live, b, kind.memoryFromOutputs(olds));
      return { changes: kind.plan(live, b, memory).length > 0 };
    },

    async create(inputs) {
      const raw = withoutEngineKeys(inputs);
      const d = parse(raw);
      return guarded(d, "create", async (ctx) => ({ id: kind.id(d), outs: await converge(ctx, raw, d, undefined) }));
    },

    async update(_id, olds, news) {
      const raw = withoutEngineKeys(news);
      const d = parse(raw);
      return guarded(d, "update", async (ctx) => ({ outs: await converge(ctx, raw, d, kind.memoryFromOutputs(olds)) }));
    },

    async read(id, props) {
      const raw = pickInputs(props);
      const d = parse(raw);
      return guarded(d, "refresh", async (ctx) => {
        const live = await kind.observe(ctx, d);
        // Gone from the host: an empty id makes the engine drop the resource from state.
        if (kind.exists && !kind.exists(live, d)) return { id: "", props: {}, inputs: {} };
        const memory = kind.memory(live, d, kind.memoryFromOutputs(props));
        const inputs = kind.liveInputs(live, raw as never) as Props;
        return { id, props: { ...inputs, ...kind.outputs(live, d, memory) }, inputs };
      });
    },

    async delete(_id, props) {
      const d = parse(pickInputs(props));
      await guarded(d, "delete", (ctx) =>
        withHostLock(ctx.host, async () => {
          const live = await kind.observe(ctx, d);
          const memory = kind.memory(live, d, kind.memoryFromOutputs(props));
          const actions = kind.planDelete(live, d, memory);
          if (actions.length === 0) return;
          for (const a of actions) ctx.log(kind.describe(a));
          await kind.apply(ctx, d, live, actions, memory);
          const after = await kind.observe(ctx, d);
          const remaining = kind.planDelete(after, d, memory);
          if (remaining.length > 0) throw new NotConvergedError(remaining.map((a) => kind.describe(a)));
        }),
      );
    },
  };
}

/** Structural equality through canonical JSON (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (v === undefined) return "null";
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Props).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}
