/**
 * The one place where remote command lines are built.
 *
 * Every argument is wrapped in single quotes, the only POSIX sh quoting in which no character is
 * special; an embedded `'` becomes `'\''`. This is correct for any byte string except NUL, which
 * cannot travel in an argv at all and is refused. Quoting does not stop option injection: an
 * argument that starts with `-` is still an option to the command that receives it, which is why
 * inputs are validated by their zod schemas and commands put `--` before operands.
 */

/** Thrown when an argument cannot be represented in a shell command line. */
export class QuoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QuoteError";
  }
}

/** Quotes one argument for POSIX sh (FreeBSD /bin/sh, dash, bash). */
export function shellQuote(arg: string): string {
  if (typeof arg !== "string") throw new QuoteError(`argument is a ${typeof arg}, not a string`);
  if (arg.includes("\0")) throw new QuoteError("argument contains a NUL byte");
  // Words made only of these characters need no quotes; leaving them bare keeps logs readable.
  if (/^[A-Za-z0-9_@%+:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Joins an argv array into one sh command line, each element quoted by {@link shellQuote}. */
export function commandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new QuoteError("empty command");
  return argv.map(shellQuote).join(" ");
}

/**
 * Builds the argv that runs a fixed sh script with its data as positional parameters:
 * `sh -c SCRIPT sh ARG1 ARG2…`, so `$1`, `$2`… inside the script are the data, never code.
 */
export function scriptArgv(script: string, args: readonly string[] = []): string[] {
  return ["/bin/sh", "-c", script, "sh", ...args];
}
