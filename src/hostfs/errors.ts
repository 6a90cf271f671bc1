/**
 * A failure the operator has to fix on the host (a refused edit, a missing folder, a symlink where
 * a file should be), with what to do about it. Kinds and host helpers throw it; the engine adds the
 * resource and host to the message.
 */
export class HostStateError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = "HostStateError";
  }
}
