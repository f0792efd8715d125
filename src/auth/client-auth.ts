import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from '../config';
import { ApiKeyStore } from './api-keys';

export type ClientIdentity =
  | { readonly kind: 'anonymous' }
  /** `keyId`: a digest of the key, never the key, for per-client quotas and logs. */
  | { readonly kind: 'api-key'; readonly keyId: string }
  /**
   * `tokenId`: a digest of what the token signs, so that one token is one client however its header is written.
   * `validUntil`: the last moment (ms, the gateway's clock) the token is accepted: its expiry and the clock tolerance.
   */
  | { readonly kind: 'jwt'; readonly subject: string | undefined; readonly tokenId: string; readonly validUntil: number };

/** The name a client's quota is counted under: its key or subject, or its address when it has neither. */
export function quotaKeyOf(identity: ClientIdentity | undefined, address: string): string {
  if (identity?.kind === 'api-key') return `key:${identity.keyId}`;
  if (identity?.kind === 'jwt' && identity.subject !== undefined) return `sub:${identity.subject}`;
  return `addr:${address}`;
}

export type AuthResult = { readonly ok: true; readonly identity: ClientIdentity } | { readonly ok: false; readonly reason: string };

const JWT_CLOCK_TOLERANCE_SECONDS = 5;

/** Algorithms accepted from a JWKS: asymmetric only, so a public key can never be used as an HMAC secret. */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Checks a request's `x-api-key` or `Authorization: Bearer <JWT>` against the configured sources. */
export class ClientAuthenticator {
  readonly keys: ApiKeyStore;
  private readonly jwks: JWTVerifyGetKey | undefined;
  private readonly secret: Uint8Array | undefined;

  constructor(
    private readonly config: AuthConfig,
    /** A token's expiry and not-before are read on the gateway's clock. */
    private readonly now: () => number,
  ) {
    this.keys = new ApiKeyStore(config.apiKeys, config.apiKeysFile);
    this.jwks = config.jwksUrl === undefined ? undefined : createRemoteJWKSet(new URL(config.jwksUrl));
    this.secret = config.jwtSecret === undefined ? undefined : new TextEncoder().encode(config.jwtSecret);
  }

  get anonymous(): boolean {
    return this.config.anonymous;
  }

  async authenticate(headers: Readonly<Record<string, string | string[] | undefined>>): Promise<AuthResult> {
    if (this.config.anonymous) return { ok: true, identity: { kind: 'anonymous' } };
    const apiKey = headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey !== '') {
      return this.keys.matches(apiKey) ? { ok: true, identity: { kind: 'api-key', keyId: createHash('sha256').update(apiKey).digest('base64url').slice(0, 16) } } : { ok: false, reason: 'The API key is not valid.' };
    }
    const authorization = headers.authorization;
    const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
    if (bearer !== undefined && (this.jwks !== undefined || this.secret !== undefined)) return this.verifyJwt(bearer);
    return { ok: false, reason: 'Authentication is required: send an API key in x-api-key or a bearer token in Authorization.' };
  }

  private async verifyJwt(token: string): Promise<AuthResult> {
    // A token without an expiry would be good forever once leaked; a few seconds absorb clock skew.
    const options = { issuer: this.config.jwtIssuer, audience: this.config.jwtAudience, requiredClaims: ['exp'], clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS, currentDate: new Date(this.now()) };
    try {
      const { payload } = this.jwks
        ? await jwtVerify(token, this.jwks, { ...options, algorithms: JWKS_ALGORITHMS })
        : await jwtVerify(token, this.secret as Uint8Array, { ...options, algorithms: ['HS256'] });
      // The signature's last character has bits no decoder reads, so the signed part alone names the token.
      const signed = token.slice(0, token.lastIndexOf('.'));
      // jose does not check the claim's type: a `sub` that is not a non-empty string names no one (null and "null" are not one client).
      const subject = typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : undefined;
      // `exp` is a required claim, so jose has checked it is a number.
      const validUntil = ((payload.exp as number) + JWT_CLOCK_TOLERANCE_SECONDS) * 1000;
      return { ok: true, identity: { kind: 'jwt', subject, tokenId: createHash('sha256').update(signed).digest('base64url').slice(0, 16), validUntil } };
    } catch {
      // jose's reasons (expired, bad signature, wrong audience) stay out of the answer: they help an attacker more than a client.
      return { ok: false, reason: 'The bearer token is not valid.' };
    }
  }
}
