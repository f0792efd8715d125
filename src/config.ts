/**
 * The only reader of process.env. Every setting is checked here, at start-up, and every
 * problem is reported in one message, so a bad deployment fails once with the whole list.
 */

export const DEFAULT_ZOOM_API_BASE_URL = 'https://api.zoom.us/v2';

export type NodeEnv = 'development' | 'production' | 'test';

/** Where Zoom calls go: the real API with the operator's credentials, or the built-in simulator. */
export type ZoomTarget =
  | { readonly kind: 'zoom'; readonly baseUrl: string; readonly apiKey: string; readonly apiSecret: string }
  | { readonly kind: 'simulator' };

export interface Config {
  readonly nodeEnv: NodeEnv;
  readonly host: string;
  readonly port: number;
  readonly zoom: ZoomTarget;
  /** Cut a Zoom call, body included, after this long. */
  readonly zoomTimeoutMs: number;
  /** The largest `first` a client may ask for. */
  readonly maxFirst: number;
  /** Signs cursors; when unset it is derived from the Zoom API secret, which every instance shares. */
  readonly cursorSecret: string | undefined;
  readonly logLevel: LogLevel;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function readLogLevel(env: Env, problems: string[]): LogLevel {
  const raw = env.LOG_LEVEL?.trim();
  if (raw === undefined || raw === '') return 'info';
  const level = LOG_LEVELS.find((known) => known === raw);
  if (level === undefined) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${raw}".`);
  return level ?? 'info';
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function readInteger(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}; got "${raw}".`);
    return fallback;
  }
  return Number(raw);
}

function readNodeEnv(env: Env, problems: string[]): NodeEnv {
  const raw = env.NODE_ENV;
  if (raw === undefined || raw === '') return 'development';
  if (raw === 'development' || raw === 'production' || raw === 'test') return raw;
  problems.push(`NODE_ENV must be development, production or test; got "${raw}".`);
  return 'development';
}

function readZoomTarget(env: Env, problems: string[]): ZoomTarget {
  const apiKey = env.ZOOM_VIDEOSDK_API_KEY?.trim() || undefined;
  const apiSecret = env.ZOOM_VIDEOSDK_API_SECRET?.trim() || undefined;
  const baseUrl = env.ZOOM_API_BASE_URL?.trim() || DEFAULT_ZOOM_API_BASE_URL;
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    problems.push(`ZOOM_API_BASE_URL must be an http(s) URL; got "${baseUrl}".`);
  }
  if (url && url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`ZOOM_API_BASE_URL must be an http(s) URL; got "${baseUrl}".`);
  }
  if (apiKey === undefined && apiSecret === undefined) return { kind: 'simulator' };
  if (apiKey === undefined) problems.push('ZOOM_VIDEOSDK_API_SECRET is set but ZOOM_VIDEOSDK_API_KEY is not: set both, or neither to use the simulator.');
  if (apiSecret === undefined) problems.push('ZOOM_VIDEOSDK_API_KEY is set but ZOOM_VIDEOSDK_API_SECRET is not: set both, or neither to use the simulator.');
  return { kind: 'zoom', baseUrl, apiKey: apiKey ?? '', apiSecret: apiSecret ?? '' };
}

/** Reads and checks every setting; throws one ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const nodeEnv = readNodeEnv(env, problems);
  const host = env.HOST?.trim() || '0.0.0.0';
  const port = readInteger(env, 'PORT', 4000, 0, 65535, problems);
  const zoom = readZoomTarget(env, problems);
  const zoomTimeoutMs = readInteger(env, 'ZOOM_TIMEOUT_MS', 10_000, 100, 120_000, problems);
  const maxFirst = readInteger(env, 'SESSIONS_MAX_FIRST', 300, 1, 10_000, problems);
  const cursorSecret = env.CURSOR_SECRET === undefined || env.CURSOR_SECRET === '' ? undefined : env.CURSOR_SECRET;
  if (cursorSecret !== undefined && cursorSecret.length < 32) problems.push('CURSOR_SECRET must be at least 32 characters long.');
  const logLevel = readLogLevel(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({ nodeEnv, host, port, zoom, zoomTimeoutMs, maxFirst, cursorSecret, logLevel });
}
