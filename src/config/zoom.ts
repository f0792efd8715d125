/** Where Zoom calls go: Zoom's API with the operator's credentials, or the built-in simulator. */

import { scrubSecrets } from '../scrub-secrets';
import type { ModeDefaults } from './modes';
import { sectionReader, type Env } from './parse';

export const ZOOM_VARIABLES = [
  'ZOOM_VIDEOSDK_API_KEY', // the Video SDK API key (not the SDK key); with the secret: real Zoom
  'ZOOM_VIDEOSDK_API_SECRET',
  'ZOOM_API_BASE_URL', // https://api.zoom.us/v2
  'ZOOM_TIMEOUT_MS', // 10000: a Zoom call, body included, is cut after this
  'ZOOM_SIMULATOR', // on: serve the built-in simulator (needed in production); off: never; unset: when no credentials
  'SIMULATOR_LATENCY_MS', // 0: latency the simulator adds to each answer
] as const;

export const DEFAULT_ZOOM_API_BASE_URL = 'https://api.zoom.us/v2';

export type ZoomTarget =
  | { readonly kind: 'zoom'; readonly baseUrl: string; readonly apiKey: string; readonly apiSecret: string }
  | { readonly kind: 'simulator' };

export interface ZoomSection {
  readonly zoom: ZoomTarget;
  /** Cut a Zoom call, body included, after this long. */
  readonly zoomTimeoutMs: number;
  /** Latency the built-in simulator adds to each answer (simulator mode only), to feel a real Zoom. */
  readonly simulatorLatencyMs: number;
}

export function readZoom(env: Env, mode: ModeDefaults, problems: string[]): ZoomSection {
  const read = sectionReader<(typeof ZOOM_VARIABLES)[number]>(env, problems);
  const apiKey = read.optional('ZOOM_VIDEOSDK_API_KEY');
  const apiSecret = read.optional('ZOOM_VIDEOSDK_API_SECRET');
  const baseUrl = read.optional('ZOOM_API_BASE_URL') ?? DEFAULT_ZOOM_API_BASE_URL;
  // Problems quote the URL without its user-info: a password must not reach the start-up log either.
  const shown = scrubSecrets(baseUrl);
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    read.problem(`ZOOM_API_BASE_URL must be an http(s) URL; got "${shown}".`);
  }
  if (url && url.protocol !== 'https:' && url.protocol !== 'http:') read.problem(`ZOOM_API_BASE_URL must be an http(s) URL; got "${shown}".`);
  if (url && (url.username !== '' || url.password !== '')) {
    // Zoom takes the JWT only; user-info would be sent nowhere useful and printed in network errors.
    read.problem(`ZOOM_API_BASE_URL must not carry user-info (user:password@): Zoom authenticates by the JWT alone; got "${scrubSecrets(url.href)}".`);
  }
  const timing = { zoomTimeoutMs: read.int('ZOOM_TIMEOUT_MS', 10_000, 100, 120_000), simulatorLatencyMs: read.int('SIMULATOR_LATENCY_MS', 0, 0, 60_000) };
  const simulator = read.optional('ZOOM_SIMULATOR') === undefined ? undefined : read.bool('ZOOM_SIMULATOR', false);
  const credentials = apiKey !== undefined || apiSecret !== undefined;
  if (simulator === true && credentials) {
    read.problem('ZOOM_SIMULATOR=on contradicts ZOOM_VIDEOSDK_API_KEY/ZOOM_VIDEOSDK_API_SECRET: unset the credentials to serve the simulator, or ZOOM_SIMULATOR to serve Zoom.');
  }
  if (!credentials) {
    if (simulator === false) read.problem('ZOOM_SIMULATOR=off needs ZOOM_VIDEOSDK_API_KEY and ZOOM_VIDEOSDK_API_SECRET.');
    else if (simulator === undefined && mode.requireZoomCredentials) {
      read.problem('No Zoom credentials in production: set ZOOM_VIDEOSDK_API_KEY and ZOOM_VIDEOSDK_API_SECRET, or ZOOM_SIMULATOR=on to serve the built-in simulator\'s made-up data on purpose.');
    }
    return { zoom: { kind: 'simulator' }, ...timing };
  }
  if (apiKey === undefined) read.problem('ZOOM_VIDEOSDK_API_SECRET is set but ZOOM_VIDEOSDK_API_KEY is not: set both, or neither to use the simulator.');
  if (apiSecret === undefined) read.problem('ZOOM_VIDEOSDK_API_KEY is set but ZOOM_VIDEOSDK_API_SECRET is not: set both, or neither to use the simulator.');
  return { zoom: { kind: 'zoom', baseUrl, apiKey: apiKey ?? '', apiSecret: apiSecret ?? '' }, ...timing };
}
