import { HostStateError } from "../hostfs/errors";
import { isRemoteError } from "../transport";

/** An error raised by a resource operation, prefixed with the resource and the host it ran on. */
export class ResourceError extends Error {
  constructor(
    readonly resource: string,
    readonly host: string,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(`${resource} on ${host}: ${message}${hint ? `\n  What to do: ${hint}` : ""}`, options);
    this.name = "ResourceError";
  }
}

/** Thrown when the host did not reach the desired state after the actions ran. */
export class NotConvergedError extends Error {
  constructor(readonly remaining: string[]) {
    super(`the host did not converge; still to do: ${remaining.join("; ")}`);
    this.name = "NotConvergedError";
  }
}


/**
 * Wraps any failure of an operation so the message starts with the resource and host. Remote
 * errors already name the host; their text is kept and a hint is added by kind.
 */
export function describeFailure(resource: string, host: string, operation: string, err: unknown): ResourceError {
  if (err instanceof ResourceError) return err;
  if (isRemoteError(err)) {
    const msg = err.message.startsWith(host) ? err.message.slice(host.length).replace(/^[:\s]+/, "") : err.message;
    return new ResourceError(resource, host, `${operation} failed: ${msg}`, remoteHint(err.kind), { cause: err });
  }
  if (err instanceof HostStateError) return new ResourceError(resource, host, `${operation} failed: ${err.message}`, err.hint);
  if (err instanceof NotConvergedError) {
    return new ResourceError(resource, host, `${operation} failed: ${err.message}`,
      "something on the host changes the file back or the command did not do what it reported; look at the host, then run `pulumi up` again");
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ResourceError(resource, host, `${operation} failed: ${message}`);
}

function remoteHint(kind: string): string | undefined {
  switch (kind) {
    case "refused":
      return "check that sshd runs on the host and that connection.port is right";
    case "dns":
      return "check connection.host";
    case "auth":
      return "check connection.user and the key or password; for a non-root user set connection.become";
    case "hostkey":
      return "if the host was reinstalled, verify the new key out of band and update connection.hostKey or the known_hosts file";
    case "timeout":
      return "the host is slow or unreachable; retry, or raise perDialTimeout";
    case "dropped":
      return "the connection was lost; run `pulumi up` again (writes are re-observed, not repeated blindly)";
    default:
      return undefined;
  }
}
