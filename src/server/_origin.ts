// Which Host and Origin headers the local server answers: loopback names and addresses, plus the address it was bound to.

import { isIP } from 'node:net';

/** The host part of a Host header or URL authority, lower case, without port or IPv6 brackets; undefined when malformed. */
function hostName(authority: string): string | undefined {
  const a = authority.trim().toLowerCase();
  if (a === '') return undefined;
  if (a.startsWith('[')) {
    const end = a.indexOf(']');
    if (end < 0 || !/^(?::\d{1,5})?$/.test(a.slice(end + 1))) return undefined;
    return a.slice(1, end);
  }
  const m = /^([^:]+)(?::\d{1,5})?$/.exec(a);
  return m?.[1];
}

/** True for localhost (and *.localhost, which resolves to loopback by RFC 6761), 127.0.0.0/8 and ::1. */
function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1' || host === '::ffff:127.0.0.1';
}

/**
 * True when a Host header names this server: a loopback name or address, or one of `allowed` (the bound address, unless
 * that is the wildcard 0.0.0.0 or ::, which no client names). A missing Host header is refused: HTTP/1.1 requires one.
 */
export function acceptedHost(header: string | undefined, allowed: readonly string[]): boolean {
  if (header === undefined) return false;
  const host = hostName(header);
  if (host === undefined) return false;
  if (isLoopback(host)) return true;
  return allowed.some((a) => {
    const name = hostName(a.includes(':') && !a.startsWith('[') && isIP(a) === 6 ? `[${a}]` : a);
    return name !== undefined && name !== '0.0.0.0' && name !== '::' && name === host;
  });
}

/** True when an Origin header is this server's own page: http(s) on a host `acceptedHost` takes. */
export function acceptedOrigin(origin: string, allowed: readonly string[]): boolean {
  const m = /^https?:\/\/([^/]+)$/i.exec(origin.trim());
  return m?.[1] !== undefined && acceptedHost(m[1], allowed);
}
