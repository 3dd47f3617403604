// The host's access token: generation, constant-time comparison, where a request may present it.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { newAccessToken, presentedToken, tokenCookie, tokensEqual } from '../../../main/host/accessToken';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('access token', () => {
  it('is 32 random bytes as hex, new every time', () => {
    const a = newAccessToken();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(newAccessToken()).not.toBe(a);
  });

  it('compares equal tokens only', () => {
    const token = newAccessToken();
    expect(tokensEqual(token, token)).toBe(true);
    expect(tokensEqual(token.slice(0, -1) + (token.endsWith('0') ? '1' : '0'), token)).toBe(false);
    expect(tokensEqual(token.slice(0, 10), token)).toBe(false);
    expect(tokensEqual('', token)).toBe(false);
  });

  it('is accepted from the query, the header or the cookie, and nothing else', () => {
    const token = newAccessToken();
    const url = (query: string) => new URL(`http://127.0.0.1:1/${query}`);
    expect(presentedToken(request({}), url(`?token=${token}`), token)).toBe('query');
    expect(presentedToken(request({ 'x-evgap-token': token }), url(''), token)).toBe('header');
    expect(presentedToken(request({ cookie: `a=b; evgap_token=${token}` }), url(''), token)).toBe('cookie');
    expect(presentedToken(request({}), url(''), token)).toBeNull();
    expect(presentedToken(request({ 'x-evgap-token': 'wrong' }), url('?token=wrong'), token)).toBeNull();
    expect(presentedToken(request({ cookie: `other_token=${token}` }), url(''), token)).toBeNull();
  });

  it('cookie is HttpOnly, SameSite=Strict, for the whole site', () => {
    expect(tokenCookie('abc')).toBe('evgap_token=abc; HttpOnly; SameSite=Strict; Path=/');
  });
});
