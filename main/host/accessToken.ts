// The per-start secret of the headless host: every request must present it (query, header or cookie), since any
// local process or web page could otherwise reach a port on 127.0.0.1.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_QUERY = 'token';
export const TOKEN_HEADER = 'x-evgap-token';
export const TOKEN_COOKIE = 'evgap_token';

export function newAccessToken(): string {
  return randomBytes(32).toString('hex');
}

/** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
export function tokensEqual(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Where the request presented the token, if it presented the right one. */
export function presentedToken(req: IncomingMessage, url: URL, expected: string): 'query' | 'header' | 'cookie' | null {
  const query = url.searchParams.get(TOKEN_QUERY);
  if (query !== null && tokensEqual(query, expected)) return 'query';
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && tokensEqual(header, expected)) return 'header';
  const cookie = cookieValue(req.headers.cookie, TOKEN_COOKIE);
  if (cookie !== undefined && tokensEqual(cookie, expected)) return 'cookie';
  return null;
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
