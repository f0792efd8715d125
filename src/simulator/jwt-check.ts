import { createHmac, timingSafeEqual } from 'node:crypto';

/** The Video SDK API signs with HS256 only (docs/zoom-contract.md §3, H); anything else is refused, `none` included. */
const ZOOM_JWT_ALG = 'HS256';

export interface JwtCheck {
  apiKey: string;
  apiSecret: string;
  nowMs: number;
}

/** Whether an `Authorization` header carries a JWT Zoom would accept: HS256, `iss` = API key, not expired. */
export function isAcceptedBearer(authorization: string | undefined, check: JwtCheck): boolean {
  const match = /^Bearer ([^\s]+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return false;
  const parts = match[1].split('.');
  if (parts.length !== 3) return false;
  const [encodedHeader, encodedPayload, encodedSignature] = parts;

  const header = decodeJson(encodedHeader);
  if (!header || header.alg !== ZOOM_JWT_ALG) return false;

  // Signature before claims, so nothing unsigned is trusted.
  const expected = createHmac('sha256', check.apiSecret).update(`${encodedHeader}.${encodedPayload}`).digest();
  const given = Buffer.from(encodedSignature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;

  const payload = decodeJson(encodedPayload);
  if (!payload || payload.iss !== check.apiKey) return false;
  return typeof payload.exp === 'number' && payload.exp * 1000 > check.nowMs;
}

function decodeJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
