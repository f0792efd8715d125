/**
 * What the simulator decided to do with one request, before latency is applied.
 * Deciding first and writing later keeps every rule a pure function of the request and the clock.
 */
export type Answer =
  | { kind: 'json'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'hang' }
  | { kind: 'reset' };

/** One entry of Zoom's `errors[]` on a code-300 validation failure (docs/zoom-contract.md §4). */
export interface FieldError {
  field: string;
  message: string;
}

export function jsonAnswer(status: number, value: unknown, headers: Record<string, string> = {}): Answer {
  return { kind: 'json', status, headers, body: JSON.stringify(value) };
}

/** Zoom's error body: `{code, message}`, plus `errors[]` for validation failures (docs/zoom-contract.md §4). */
export function zoomError(
  status: number,
  code: number,
  message: string,
  extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
): Answer {
  const body = extra.errors ? { code, message, errors: extra.errors } : { code, message };
  return jsonAnswer(status, body, extra.headers);
}

/** Zoom: wrong key, secret, expiry, or a token outside the Authorization header (docs/zoom-contract.md §3, H). */
export function invalidAccessToken(): Answer {
  return zoomError(401, 124, 'Invalid access token.');
}

/** Zoom groups field failures under code 300 (docs/zoom-contract.md §4, H). */
export function validationFailed(errors: FieldError[]): Answer {
  return zoomError(400, 300, 'Validation Failed.', { errors });
}
