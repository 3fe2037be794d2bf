/**
 * Where webhooks may go. A URL must be https, or http on a host the operator allows
 * (WEBHOOK_ALLOW_HTTP_HOSTS); a destination on a loopback, private, link-local, shared (CGNAT),
 * metadata or otherwise special address is refused unless WEBHOOK_ALLOW_PRIVATE=true. The check
 * runs on the URL when an endpoint is saved and on the resolved address before every attempt
 * (a name can resolve elsewhere later: DNS rebinding), and the attempt connects to that address.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../errors/app-error.js';

/** The settings the guard reads (a part of WebhookConfig). */
export interface UrlPolicy {
  allowPrivate: boolean;
  allowHttpHosts: readonly string[];
}

/** Addresses no webhook goes to by default (IPv4-mapped IPv6 addresses are checked as IPv4). */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // shared address space (CGNAT)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64: reaches IPv4 addresses, private ones included
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (fd00::/8, e.g. fd00:ec2::254 metadata)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is one a webhook may not reach by default. Not an address: true. */
export function isForbiddenAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 0) return true;
  return FORBIDDEN.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

function forbidden(message: string): AppError {
  return new AppError('WEBHOOK_URL_FORBIDDEN', message);
}

/** The host of a URL without IPv6 brackets, lower case. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/**
 * Checks a webhook URL as given (not its DNS): scheme, credentials, and literal addresses and
 * `localhost` names. Throws `WEBHOOK_URL_FORBIDDEN` (400) saying why; returns the parsed URL.
 */
export function checkWebhookUrl(text: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The webhook "url" is not an absolute URL', {
      details: { parameter: 'url', location: 'body' },
    });
  }
  const host = bareHost(url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw forbidden(`A webhook URL must be https (got ${url.protocol})`);
  }
  if (url.protocol === 'http:' && !policy.allowHttpHosts.includes(host)) {
    throw forbidden(
      `A webhook URL must be https; plain http only to the hosts in WEBHOOK_ALLOW_HTTP_HOSTS (not "${host}")`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw forbidden('A webhook URL may not hold credentials (user:password@); verify the signature instead');
  }
  if (!policy.allowPrivate) {
    const isLocalName = host === 'localhost' || host.endsWith('.localhost');
    if (isLocalName || (isIP(host) !== 0 && isForbiddenAddress(host))) {
      throw forbidden(
        `The webhook URL points to a loopback, private, link-local or metadata address (${host}); set WEBHOOK_ALLOW_PRIVATE=true to allow it`,
      );
    }
  }
  return url;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => ({
    address: entry.address,
    family: entry.family === 6 ? 6 : 4,
  }));

/**
 * The address one attempt connects to: the URL's literal address, or the first address its name
 * resolves to now. Every resolved address must be allowed (one forbidden answer refuses the host:
 * a name that resolves to a private address among public ones is not one to trust).
 */
export async function resolveDestination(
  url: URL,
  policy: UrlPolicy,
  resolve: Resolver = systemResolver,
): Promise<ResolvedAddress> {
  const host = bareHost(url);
  const literal = isIP(host);
  const addresses: ResolvedAddress[] =
    literal === 0 ? await resolve(host) : [{ address: host, family: literal === 6 ? 6 : 4 }];
  const first = addresses[0];
  if (first === undefined) throw forbidden(`The webhook host ${host} resolves to no address`);
  if (!policy.allowPrivate) {
    const bad = addresses.find((entry) => isForbiddenAddress(entry.address));
    if (bad !== undefined) {
      throw forbidden(
        `The webhook host ${host} resolves to a loopback, private, link-local or metadata address (${bad.address})`,
      );
    }
  }
  return first;
}
