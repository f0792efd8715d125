/** Who may call the gateway: API keys, JWTs, or anyone. */

import type { ModeDefaults } from './modes';
import { sectionReader, type Env } from './parse';

export const AUTH_VARIABLES = [
  'GATEWAY_API_KEYS', // comma-separated keys of 16+ characters, sent in x-api-key
  'GATEWAY_API_KEYS_FILE', // one key a line, re-read on SIGHUP
  'GATEWAY_JWKS_URL', // bearer JWTs verified against a JWKS
  'GATEWAY_JWT_SECRET', // or against an HS256 secret of 32+ characters
  'GATEWAY_JWT_ISSUER', // optional iss check
  'GATEWAY_JWT_AUDIENCE', // optional aud check
  'GATEWAY_AUTH', // on or off: says whether anonymous access is intended
] as const;

const CREDENTIAL_NAMES = 'GATEWAY_API_KEYS, GATEWAY_API_KEYS_FILE, GATEWAY_JWKS_URL or GATEWAY_JWT_SECRET';

export interface AuthConfig {
  /** Anonymous access (no credential asked); only when no credential source is set. */
  readonly anonymous: boolean;
  readonly apiKeys: readonly string[];
  /** One key per line, re-read on SIGHUP: rotation without a restart. */
  readonly apiKeysFile: string | undefined;
  readonly jwksUrl: string | undefined;
  readonly jwtSecret: string | undefined;
  readonly jwtIssuer: string | undefined;
  readonly jwtAudience: string | undefined;
}

export function readAuth(env: Env, mode: ModeDefaults, problems: string[]): AuthConfig {
  const read = sectionReader<(typeof AUTH_VARIABLES)[number]>(env, problems);
  const apiKeys = read.list('GATEWAY_API_KEYS') ?? [];
  const apiKeysFile = read.optional('GATEWAY_API_KEYS_FILE');
  const jwksUrl = read.httpUrl('GATEWAY_JWKS_URL');
  const jwtSecret = read.optional('GATEWAY_JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) read.problem('GATEWAY_JWT_SECRET must be at least 32 characters long.');
  if (apiKeys.some((key) => key.length < 16)) read.problem('GATEWAY_API_KEYS entries must be at least 16 characters long.');
  if (jwksUrl !== undefined && jwtSecret !== undefined) read.problem('Set GATEWAY_JWKS_URL or GATEWAY_JWT_SECRET, not both: a token is verified one way.');
  if (jwksUrl !== undefined && mode.requireHttpsJwks && !jwksUrl.startsWith('https:')) read.problem('GATEWAY_JWKS_URL must be an https URL in production.');
  const given = read.optional('GATEWAY_AUTH');
  const setting = given?.toLowerCase();
  if (setting !== undefined && setting !== 'on' && setting !== 'off') read.problem(`GATEWAY_AUTH must be on or off; got "${given}".`);
  const hasCredentials = apiKeys.length > 0 || apiKeysFile !== undefined || jwksUrl !== undefined || jwtSecret !== undefined;
  if (setting === 'off' && hasCredentials) read.problem('GATEWAY_AUTH=off contradicts the credentials set (GATEWAY_API_KEYS, GATEWAY_API_KEYS_FILE, GATEWAY_JWKS_URL, GATEWAY_JWT_SECRET).');
  if (setting === 'on' && !hasCredentials) read.problem(`GATEWAY_AUTH=on needs ${CREDENTIAL_NAMES}.`);
  if (mode.requireClientAuth && !hasCredentials && setting !== 'off') {
    read.problem(`In production clients must authenticate: set ${CREDENTIAL_NAMES}, or GATEWAY_AUTH=off if anonymous access is intended.`);
  }
  return {
    anonymous: !hasCredentials,
    apiKeys,
    apiKeysFile,
    jwksUrl,
    jwtSecret,
    jwtIssuer: read.optional('GATEWAY_JWT_ISSUER'),
    jwtAudience: read.optional('GATEWAY_JWT_AUDIENCE'),
  };
}
