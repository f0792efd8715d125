import { createHmac } from 'node:crypto';
import { SimulatorOptions, ZoomSimulator, startSimulator } from '../../src/simulator/simulator';

export const API_KEY = 'test-api-key';
export const API_SECRET = 'test-api-secret';
/** 2026-10-15T12:00:00Z: the simulated "now" of every test, so data and dates are fixed. */
export const START_MS = Date.UTC(2026, 9, 15, 12, 0, 0);

export function signJwt(
  payload: Record<string, unknown>,
  secret = API_SECRET,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${encode(header)}.${encode(payload)}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

export interface TestSimulator {
  sim: ZoomSimulator;
  clock: { ms: number };
  /** GET `path` (relative to baseUrl) with a valid JWT unless headers say otherwise. */
  get(path: string, init?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<Response>;
}

export async function startTestSimulator(options: Partial<SimulatorOptions> = {}): Promise<TestSimulator> {
  const clock = { ms: START_MS };
  const sim = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now: () => clock.ms, ...options });
  const get = (path: string, init: { headers?: Record<string, string>; signal?: AbortSignal } = {}) => {
    const token = signJwt({ iss: API_KEY, exp: Math.floor(clock.ms / 1000) + 3600 });
    return fetch(`${sim.baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}`, ...init.headers },
      signal: init.signal,
    });
  };
  return { sim, clock, get };
}

export function listPath(params: Record<string, string | number>): string {
  const search = new URLSearchParams(Object.entries(params).map(([name, value]): [string, string] => [name, String(value)]));
  return `/videosdk/sessions?${search.toString()}`;
}
