// Which destinations outgoing requests may reach (SSRF). By default only public
// unicast addresses: private, loopback, link-local, unique-local, CGNAT, multicast,
// reserved and unspecified ranges are refused (ipaddr.js classifies them). The
// check runs on every address the host name resolves to, inside the connection's
// own DNS lookup, so a name cannot resolve to a public address for the check and
// a private one for the connection.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Why an address is refused, or undefined when it is a public unicast address. */
export function refusedAddress(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  return range === 'unicast' ? undefined : `${address} is a ${range} address`;
}

/** The error a refused destination raises; its message names the address and its range. */
export class DestinationRefused extends Error {
  readonly code = 'DESTINATION_REFUSED';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A dns.lookup for http.request that refuses non-public addresses (unless `allowPrivate`). */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true } as LookupAllOptions, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as LookupAddress[];
      if (!allowPrivate) {
        for (const a of list) {
          const why = refusedAddress(a.address);
          if (why) return callback(new DestinationRefused(`${hostname} resolves to ${why}`), '');
        }
      }
      if ((options as LookupAllOptions).all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '');
      callback(null, first.address, first.family);
    });
  };
}

/** A URL whose host is an IP literal is checked here (no DNS lookup happens for it). */
export function refusedLiteral(url: URL, allowPrivate: boolean): string | undefined {
  if (allowPrivate) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? refusedAddress(host) : host === 'localhost' || host.endsWith('.localhost') ? `${host} is a loopback name` : undefined;
}

export type { LookupOneOptions };
