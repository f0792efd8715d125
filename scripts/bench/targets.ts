import { Server, createServer } from 'node:http';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { createGatewayCore } from '../../src/gateway';
import { createGateway } from '../../src/server';
import { SessionQuery, startSimulator } from '../../src/simulator/simulator';
import { Integration, mountIntegration } from './apollo-integrations';
import { startPlainGraphql } from './plain-graphql';

/**
 * Everything a bench points autocannon at, described by plain data so that it can start in
 * this process or in a child process (target-process.ts) alike.
 */

export const API_KEY = 'bench-key';
export const API_SECRET = 'bench-secret-of-at-least-some-length';
/** Simulated dates stay fixed, as in bench-workload: the dataset and Zoom's six-month horizon hang on "today". */
export const SIMULATED_NOW = Date.parse('2026-11-27T12:00:00Z');

/** Every process shares one simulated clock: the offset is taken once, by the bench, and handed on. */
export function clockOffsetMs(): number {
  return SIMULATED_NOW - Date.now();
}

export type TargetSpec =
  | { readonly kind: 'simulator'; readonly clockOffsetMs: number; readonly expectedFor: readonly SessionQuery[] }
  | { readonly kind: 'bare'; readonly body: string }
  | { readonly kind: 'plain-graphql'; readonly zoomBaseUrl: string; readonly clockOffsetMs: number; readonly cache: boolean }
  | { readonly kind: 'gateway'; readonly zoomBaseUrl: string; readonly clockOffsetMs: number; readonly env: Readonly<Record<string, string>> }
  | { readonly kind: 'integration'; readonly integration: Integration; readonly zoomBaseUrl: string; readonly clockOffsetMs: number };

export interface TargetInfo {
  readonly url: string;
  /** simulator only: the session ids a full walk of each `expectedFor` query returns. */
  readonly expectedIds?: string[][];
}

export interface RunningTarget extends TargetInfo {
  close(): Promise<void>;
}

/** The gateway as deployed: production mode, no client auth, and Zoom's budget out of the way. */
export function gatewayEnv(zoomBaseUrl: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    ZOOM_VIDEOSDK_API_KEY: API_KEY,
    ZOOM_VIDEOSDK_API_SECRET: API_SECRET,
    ZOOM_API_BASE_URL: zoomBaseUrl,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
    GATEWAY_AUTH: 'off',
    ZOOM_LIST_SESSIONS_PER_MINUTE: '100000',
    // A cold walk makes thousands of calls a run: neither the day's cap nor one client's share of it may refuse them.
    ZOOM_DAILY_LIMIT: '100000000',
    ZOOM_CLIENT_DAILY_SHARE_PERCENT: '0',
    ...extra,
  };
}

function listening(server: Server): string {
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
}

function closing(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
}

/** The floor: node:http answering every request with the same bytes, after reading the request. */
function startBare(body: string): Promise<Server> {
  const bytes = Buffer.from(body);
  const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(bytes.length) };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, headers);
      res.end(bytes);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function startTargetHere(spec: TargetSpec): Promise<RunningTarget> {
  const logger = pino({ level: 'silent' });
  switch (spec.kind) {
    case 'simulator': {
      const now = () => Date.now() + spec.clockOffsetMs;
      const sim = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now });
      const expectedIds = spec.expectedFor.map((query) => sim.expectedSessions(query).map((session) => session.id));
      return { url: sim.baseUrl, expectedIds, close: () => sim.close() };
    }
    case 'bare': {
      const server = await startBare(spec.body);
      return { url: `${listening(server)}/graphql`, close: closing(server) };
    }
    case 'plain-graphql': {
      const now = () => Date.now() + spec.clockOffsetMs;
      const server = await startPlainGraphql({ zoomBaseUrl: spec.zoomBaseUrl, apiKey: API_KEY, apiSecret: API_SECRET, now, cache: spec.cache });
      return { url: `${listening(server)}/graphql`, close: closing(server) };
    }
    case 'gateway': {
      const now = () => Date.now() + spec.clockOffsetMs;
      const config = loadConfig(gatewayEnv(spec.zoomBaseUrl, spec.env));
      if (config.zoom.kind !== 'zoom') throw new Error('the bench gateway needs the simulator credentials');
      const gateway = await createGateway({ config, zoom: config.zoom, logger, now });
      await gateway.app.listen({ host: '127.0.0.1', port: 0 });
      return { url: `${listening(gateway.app.server)}/graphql`, close: () => gateway.close() };
    }
    case 'integration': {
      const now = () => Date.now() + spec.clockOffsetMs;
      const config = loadConfig(gatewayEnv(spec.zoomBaseUrl));
      if (config.zoom.kind !== 'zoom') throw new Error('the bench gateway needs the simulator credentials');
      const core = await createGatewayCore({ config, zoom: config.zoom, logger, now });
      const mounted = await mountIntegration(spec.integration, core, logger);
      return {
        url: mounted.url,
        close: async () => {
          await mounted.close();
          core.close();
        },
      };
    }
  }
}
