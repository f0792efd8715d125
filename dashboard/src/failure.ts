/**
 * What went wrong, in the terms the dashboard shows a person. Pure: the Apollo-specific part
 * (reading CombinedGraphQLErrors or a ServerError's body) is in apollo-failure.ts.
 */

export interface GatewayErrorLike {
  readonly message: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export type Failure =
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number; readonly message: string }
  | { readonly kind: 'zoom-unavailable'; readonly retryAfterSeconds: number; readonly message: string }
  | { readonly kind: 'unauthenticated'; readonly message: string }
  | { readonly kind: 'other'; readonly code: string | undefined; readonly message: string };

/** When the gateway names no wait, a minute is Zoom's window for per-minute labels. */
export const FALLBACK_RETRY_AFTER_SECONDS = 60;

function retryAfterOf(error: GatewayErrorLike): number {
  const raw = error.extensions?.retryAfter;
  return typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? Math.ceil(raw) : FALLBACK_RETRY_AFTER_SECONDS;
}

/** The failure a person should see first: a wait beats a generic error, since waiting fixes it. */
export function describeFailure(errors: readonly GatewayErrorLike[], statusCode?: number): Failure {
  const unauthenticated = errors.find((error) => error.extensions?.code === 'UNAUTHENTICATED');
  if (unauthenticated || statusCode === 401) {
    return { kind: 'unauthenticated', message: unauthenticated?.message ?? 'The gateway refused the API key.' };
  }
  const limited = errors.find((error) => error.extensions?.code === 'ZOOM_RATE_LIMITED');
  if (limited) return { kind: 'rate-limited', retryAfterSeconds: retryAfterOf(limited), message: limited.message };
  const unavailable = errors.find((error) => error.extensions?.code === 'ZOOM_UNAVAILABLE');
  if (unavailable) return { kind: 'zoom-unavailable', retryAfterSeconds: retryAfterOf(unavailable), message: unavailable.message };
  const first = errors[0];
  if (first) return { kind: 'other', code: typeof first.extensions?.code === 'string' ? first.extensions.code : undefined, message: first.message };
  return { kind: 'other', code: undefined, message: statusCode === undefined ? 'The gateway could not be reached.' : `The gateway answered HTTP ${statusCode}.` };
}

/** A gateway's HTTP-level refusal is GraphQL-shaped JSON; anything else yields no errors. */
export function errorsInBody(bodyText: string): GatewayErrorLike[] {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (typeof body !== 'object' || body === null || !('errors' in body) || !Array.isArray(body.errors)) return [];
    return body.errors.filter((error): error is GatewayErrorLike => typeof error === 'object' && error !== null && typeof error.message === 'string');
  } catch {
    return [];
  }
}
