/**
 * Repository URLs: pkg's accepted schemes (commands.md §2 VALID_URL_SCHEME), the transport
 * check, and the quarterly ↔ latest helpers (the branch is only the URL's last path component).
 */

/** Schemes pkg accepts; any other makes pkg refuse to start ("Cannot parse configuration file!"). */
export const VALID_URL_SCHEMES = ["pkg+http", "pkg+https", "https", "http", "file", "ssh", "tcp"] as const;

/** Why `url` would be refused by pkg (or could not be written safely), or undefined when fine. */
export function urlProblem(url: string): string | undefined {
  if (/[\s\x00-\x1f\x7f]/.test(url)) return "must not contain spaces or control characters";
  const m = /^([^:/]+):\/\//.exec(url);
  if (!m) return `${JSON.stringify(url)} is not a URL pkg accepts (scheme://…)`;
  if (!(VALID_URL_SCHEMES as readonly string[]).includes(m[1]!)) {
    return `scheme ${JSON.stringify(m[1])} is not one pkg accepts (${VALID_URL_SCHEMES.join(", ")})`;
  }
  if (url.length === m[0].length) return "has nothing after the scheme";
  return undefined;
}

/**
 * Whether the URL's transport protects the catalogue in transit: https and pkg+https do, and so
 * does file:// (a local folder, e.g. a poudriere repository: there is no network path to attack).
 * Everything else (http, pkg+http, tcp, and ssh too, to keep to the rule as the issue states it)
 * is reported.
 */
export function isSecureTransport(url: string): boolean {
  return /^(https|pkg\+https|file):\/\//.test(url);
}

/** The official FreeBSD repository for a branch: `pkg+https://pkg.FreeBSD.org/${ABI}/<branch>`. */
export function freebsdPkgUrl(branch: "quarterly" | "latest" | string = "quarterly", abi = "${ABI}"): string {
  return `pkg+https://pkg.FreeBSD.org/${abi}/${checkBranch(branch)}`;
}

/** `url` with its last path component replaced by `branch` ("…/quarterly" ↔ "…/latest"). */
export function withPkgBranch(url: string, branch: "quarterly" | "latest" | string): string {
  const trimmed = url.replace(/\/+$/, "");
  const cut = trimmed.lastIndexOf("/");
  if (cut < 0 || /^[^:/]+:\/\/[^/]*$/.test(trimmed)) throw new Error(`withPkgBranch: ${JSON.stringify(url)} has no path to change`);
  return `${trimmed.slice(0, cut)}/${checkBranch(branch)}`;
}

function checkBranch(b: string): string {
  if (!/^[A-Za-z0-9_.${}-]+$/.test(b)) throw new Error(`not a repository branch name: ${JSON.stringify(b)}`);
  return b;
}
