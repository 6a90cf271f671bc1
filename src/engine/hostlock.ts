/**
 * Serializes writes per host within the provider process: the engine runs steps in parallel,
 * and two resources editing one host at once (pkg's database lock, one file) must take turns.
 */
const tails = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier `withHostLock` call for the same host has settled. */
export async function withHostLock<T>(host: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(host) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  tails.set(host, tail);
  try {
    return await run;
  } finally {
    if (tails.get(host) === tail) tails.delete(host);
  }
}
