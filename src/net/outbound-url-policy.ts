import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { Agent, type Dispatcher } from 'undici';
import { GatewayError } from '../errors/gateway-error.ts';

export const maxUrlLength = 2048;

export interface OutboundUrlPolicySettings {
  /** Development only: allow http and private, loopback and link-local addresses. */
  allowPrivate: boolean;
  /** Origins (scheme://host:port) exempt from the checks, e.g. an internal webhook receiver. */
  trustedOrigins: string[];
  connectTimeoutMs: number;
}

/** 2000::/3, the only IPv6 space assigned for global unicast; ipaddr.js calls any other unlisted address "unicast" too. */
const globalUnicastIpv6 = ipaddr.parseCIDR('2000::/3');

/**
 * Only globally routable unicast addresses may be reached. IPv4-mapped IPv6 is judged as the IPv4 inside; every other
 * IPv6 form that embeds or translates an IPv4 address (IPv4-compatible ::a.b.c.d, NAT64, 6to4, Teredo) is refused.
 */
export function isBlockedAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  const parsed = ipaddr.process(address);
  if (parsed.range() !== 'unicast') return true;
  return parsed.kind() === 'ipv6' && !parsed.match(globalUnicastIpv6);
}

export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKEDADDRESS';
  constructor(hostname: string, address: string) {
    super(`${hostname} resolves to ${address}, which is not a public address`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A DNS lookup that refuses a name if any of its addresses is not public. It runs at connect time,
 * so what was checked is what is connected to: DNS rebinding cannot slip an internal address in.
 */
function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const blocked = addresses.find((entry) => isBlockedAddress(entry.address));
    if (blocked) return callback(new BlockedAddressError(hostname, blocked.address), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

/** Decides which user-supplied URLs genway may fetch or post to, and gives the dispatcher that enforces it. */
export class OutboundUrlPolicy {
  private readonly trusted: Set<string>;
  private readonly guardedAgent: Agent;
  private readonly openAgent: Agent;

  constructor(private readonly settings: OutboundUrlPolicySettings) {
    this.trusted = new Set(settings.trustedOrigins.map((origin) => new URL(origin).origin));
    this.guardedAgent = new Agent({ connect: { timeout: settings.connectTimeoutMs, lookup: guardedLookup } });
    this.openAgent = new Agent({ connect: { timeout: settings.connectTimeoutMs } });
  }

  private isOpen(url: URL): boolean {
    return this.settings.allowPrivate || this.trusted.has(url.origin);
  }

  /** Checks what can be judged without connecting; throws INVALID_INPUT naming `field`. */
  check(raw: string, field: string): URL {
    const refuse = (why: string) => new GatewayError('INVALID_INPUT', `${field}: ${why}`, { details: { field } });
    if (raw.length > maxUrlLength) throw refuse(`must be at most ${maxUrlLength} characters`);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw refuse('is not a valid URL');
    }
    const open = this.isOpen(url);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && open)) throw refuse('must be an https URL');
    if (url.username || url.password) throw refuse('must not contain credentials');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!open && ipaddr.isValid(host) && isBlockedAddress(host)) throw refuse('must not point at a private, loopback or link-local address');
    return url;
  }

  /** The dispatcher to send with: address checks at connect time unless the origin is trusted. Redirects are never followed. */
  dispatcherFor(url: URL): Dispatcher {
    return this.isOpen(url) ? this.openAgent : this.guardedAgent;
  }

  async close(): Promise<void> {
    await Promise.all([this.guardedAgent.close(), this.openAgent.close()]);
  }
}
