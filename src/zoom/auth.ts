import { createHmac } from 'node:crypto';

/** Zoom suggests JWTs that live one hour or less (docs/zoom-contract.md §3). */
export const ZOOM_JWT_LIFETIME_SECONDS = 3600;
/** Re-sign this long before expiry, so a token never expires on its way to Zoom or in a retry. */
export const ZOOM_JWT_RENEW_BEFORE_SECONDS = 300;

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** An HS256 JWT for the Video SDK REST API: `iss` is the API key, signed with the API secret. */
export function signZoomJwt(apiKey: string, apiSecret: string, issuedAtSeconds: number, lifetimeSeconds: number): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iss: apiKey, iat: issuedAtSeconds, exp: issuedAtSeconds + lifetimeSeconds }));
  const signature = createHmac('sha256', apiSecret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Keeps one JWT per process and signs a new one shortly before the old one expires. */
export class ZoomJwtSigner {
  private token = '';
  private expiresAtSeconds = 0;

  constructor(
    private readonly apiKey: string,
    private readonly apiSecret: string,
    private readonly now: () => number,
  ) {}

  current(): string {
    const nowSeconds = Math.floor(this.now() / 1000);
    if (nowSeconds >= this.expiresAtSeconds - ZOOM_JWT_RENEW_BEFORE_SECONDS) {
      this.token = signZoomJwt(this.apiKey, this.apiSecret, nowSeconds, ZOOM_JWT_LIFETIME_SECONDS);
      this.expiresAtSeconds = nowSeconds + ZOOM_JWT_LIFETIME_SECONDS;
    }
    return this.token;
  }
}
