import { createHmac } from 'node:crypto';
import { ClientAuthenticator, ClientIdentity } from '../../src/auth/client-auth';
import { clientKeyOf } from '../../src/transport/client-places';

const SECRET = 'client-auth-unit-secret-0123456789abcdef';
const NOW = Date.parse('2026-11-27T12:00:00Z');
const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (claims: Record<string, unknown>): string => {
  const signed = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ exp: NOW / 1000 + 600, ...claims })}`;
  return `${signed}.${createHmac('sha256', SECRET).update(signed).digest('base64url')}`;
};

describe('ClientAuthenticator with bearer JWTs', () => {
  const authenticator = new ClientAuthenticator({ anonymous: false, apiKeys: [], apiKeysFile: undefined, jwksUrl: undefined, jwtSecret: SECRET, jwtIssuer: undefined, jwtAudience: undefined }, () => NOW);
  const identity = async (claims: Record<string, unknown>, scheme = 'Bearer '): Promise<ClientIdentity> => {
    const answer = await authenticator.authenticate({ authorization: `${scheme}${token(claims)}` });
    if (!answer.ok) throw new Error(answer.reason);
    return answer.identity;
  };

  it('names a client by its subject only when `sub` is a non-empty string; any other is a token of its own', async () => {
    expect(clientKeyOf(await identity({ sub: 'ada' }), 'addr')).toBe('jwt:ada');
    const keys = await Promise.all([{ sub: null }, { sub: '' }, { sub: 123 }, { sub: '123' }, { sub: { a: 1 } }, { sub: ['a', 'b'] }, { sub: 'a,b' }].map(async (claims) => clientKeyOf(await identity(claims), 'addr')));
    // Seven tokens, seven clients: none collides with another's subject ("123", "a,b" are subjects; the rest are tokens).
    expect(new Set(keys).size).toBe(7);
    expect(keys.filter((key) => key.startsWith('token:'))).toHaveLength(5);
  });

  it('reads expiry on the gateway\'s clock, not the machine\'s', async () => {
    const expired = { exp: NOW / 1000 - 60 };
    await expect(authenticator.authenticate({ authorization: `Bearer ${token(expired)}` })).resolves.toMatchObject({ ok: false });
    const later = new ClientAuthenticator({ anonymous: false, apiKeys: [], apiKeysFile: undefined, jwksUrl: undefined, jwtSecret: SECRET, jwtIssuer: undefined, jwtAudience: undefined }, () => NOW - 3_600_000);
    await expect(later.authenticate({ authorization: `Bearer ${token(expired)}` })).resolves.toMatchObject({ ok: true });
  });

  it('is one client however the Authorization header spells the scheme', async () => {
    const claims = { jti: 'one' };
    const keys = await Promise.all(['Bearer ', 'bearer ', 'BEARER  ', 'Bearer\t'].map(async (scheme) => clientKeyOf(await identity(claims, scheme), 'addr')));
    expect(new Set(keys).size).toBe(1);
  });
});
