// Where a webhook may be sent. A URL an admin types must not turn the server into a way to reach
// the machines behind it (SSRF): the host is resolved and every address it resolves to must be a
// public one, when the subscription is saved and again before each delivery (the name may resolve
// elsewhere by then), and the request then goes to the address that was checked.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

export interface CheckedTarget {
  url: URL;
  /** The address the request connects to: one of those the host resolved to, all of them checked. */
  address: string;
  family: 4 | 6;
}

export class TargetRefused extends Error {}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/** The URL's shape alone: http(s), a host, no credentials. Returns the reason it is refused, if it is. */
export function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "Enter a full address starting with https:// or http://.";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Use an https:// or http:// address.";
  if (url.username || url.password) return "Leave user names and passwords out of the address.";
  if (!url.hostname) return "The address needs a host name.";
  if (text.length > 2000) return "Use at most 2,000 characters.";
  return undefined;
}

/**
 * Resolves the URL's host and checks every address. Throws TargetRefused with a reason people can
 * act on; `allowPrivate` lets private and loopback addresses through (the organization's setting).
 */
export async function checkTarget(
  text: string,
  options: { allowPrivate: boolean; resolve?: Resolver },
): Promise<CheckedTarget> {
  const problem = urlProblem(text);
  if (problem) throw new TargetRefused(problem);
  const url = new URL(text);
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new TargetRefused(`The host ${host} could not be resolved${code ? ` (${code})` : ""}.`);
    }
    if (addresses.length === 0) throw new TargetRefused(`The host ${host} has no addresses.`);
  }
  if (!options.allowPrivate) {
    for (const { address } of addresses) {
      const range = privateRange(address);
      if (range)
        throw new TargetRefused(
          `${host === address ? address : `${host} resolves to ${address}`}, a ${range} address; webhooks go to public addresses only.`,
        );
    }
  }
  const first = addresses[0];
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** The kind of non-public range an address is in, or undefined for a public address. */
export function privateRange(address: string): string | undefined {
  const kind = isIP(address);
  if (kind === 4) return ipv4Range(ipv4Bytes(address));
  if (kind === 6) return ipv6Range(ipv6Words(address));
  return "unrecognised";
}

function ipv4Bytes(address: string): number[] {
  return address.split(".").map(Number);
}

function ipv4Range([a, b, c]: number[]): string | undefined {
  if (a === 0) return "unspecified (0.0.0.0/8)";
  if (a === 10) return "private (10.0.0.0/8)";
  if (a === 127) return "loopback";
  if (a === 100 && b >= 64 && b <= 127) return "shared carrier-grade NAT (100.64.0.0/10)";
  if (a === 169 && b === 254) return "link-local (169.254.0.0/16)";
  if (a === 172 && b >= 16 && b <= 31) return "private (172.16.0.0/12)";
  if (a === 192 && b === 168) return "private (192.168.0.0/16)";
  if (a === 192 && b === 0 && c === 0) return "IETF protocol (192.0.0.0/24)";
  if (a === 198 && (b === 18 || b === 19)) return "benchmarking (198.18.0.0/15)";
  if (a >= 224 && a <= 239) return "multicast";
  if (a >= 240) return "reserved (240.0.0.0/4)";
  return undefined;
}

/** The eight 16-bit words of an IPv6 address (with "::" expanded and a dotted IPv4 tail converted). */
function ipv6Words(address: string): number[] {
  let text = address.toLowerCase().split("%")[0];
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const [a, b, c, d] = ipv4Bytes(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill("0"), ...right].map((w) => Number.parseInt(w, 16) || 0);
}

function ipv6Range(w: number[]): string | undefined {
  const zeroUpTo = (n: number) => w.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return "unspecified (::)";
  if (zeroUpTo(7) && w[7] === 1) return "loopback (::1)";
  // IPv4 inside IPv6 reaches IPv4 hosts: refused whatever the IPv4 address is.
  if (zeroUpTo(5) && w[5] === 0xffff) return "IPv4-mapped (::ffff:0:0/96)";
  if (zeroUpTo(6)) return "IPv4-compatible (::/96)";
  if (w[0] === 0x64 && w[1] === 0xff9b) return "NAT64 (64:ff9b::/96)";
  if ((w[0] & 0xfe00) === 0xfc00) return "unique local (fc00::/7)";
  if ((w[0] & 0xffc0) === 0xfe80) return "link-local (fe80::/10)";
  if ((w[0] & 0xffc0) === 0xfec0) return "site-local (fec0::/10)";
  if ((w[0] & 0xff00) === 0xff00) return "multicast (ff00::/8)";
  // 6to4 carries an IPv4 address in words 1–2: refused when that address is not public.
  if (w[0] === 0x2002) {
    const inner = ipv4Range([w[1] >> 8, w[1] & 0xff, w[2] >> 8]);
    if (inner) return `6to4 of a ${inner} address`;
  }
  return undefined;
}

/**
 * The fetch input that connects to the checked address rather than resolving the name again:
 * the address goes in the URL, the name in the Host header and, for https, in the TLS server
 * name, so the certificate is still checked against the name.
 */
export function pinnedRequest(target: CheckedTarget): {
  url: string;
  host: string;
  tls?: { serverName: string };
} {
  const pinned = new URL(target.url);
  const host = target.url.host;
  const name = target.url.hostname;
  pinned.hostname = target.family === 6 ? `[${target.address}]` : target.address;
  return {
    url: pinned.toString(),
    host,
    tls:
      target.url.protocol === "https:" && !isIP(name.replace(/^\[|\]$/g, ""))
        ? { serverName: name }
        : undefined,
  };
}
