import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import pino, { Logger } from 'pino';
import { loadConfig } from '../src/config';
import { Gateway, GatewayOptions, createGateway } from '../src/server';
import { SimulatorOptions, ZoomSimulator, startSimulator } from '../src/simulator/simulator';

export const API_KEY = 'test-api-key';
export const API_SECRET = 'test-api-secret-never-to-be-seen-by-clients';
/** Tests run on a clock that starts here, runs at real speed and can jump ahead, shared by the gateway and the fake Zoom. */
export const START = Date.parse('2026-11-27T12:00:00Z');

export class Clock {
  private readonly realStart = Date.now();
  private skipped = 0;
  readonly now = (): number => START + (Date.now() - this.realStart) + this.skipped;
  advance(ms: number): void {
    this.skipped += ms;
  }
}

export interface GraphQLBody<TData> {
  data?: TData | null;
  errors?: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export interface GraphQLAnswer<TData> {
  status: number;
  body: GraphQLBody<TData>;
  text: string;
}

export interface Stack {
  readonly zoom: ZoomSimulator;
  readonly gateway: Gateway;
  readonly url: string;
  readonly clock: Clock;
  /** Every response body this stack served, for checks that look across a whole suite. */
  readonly responses: string[];
  request<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): Promise<GraphQLAnswer<TData>>;
  post(body: unknown): Promise<GraphQLAnswer<unknown>>;
  close(): Promise<void>;
}

export interface StackOptions {
  readonly simulator?: Partial<SimulatorOptions>;
  readonly env?: Record<string, string>;
  /** Reuse a running fake Zoom (to put two gateways on one Zoom). */
  readonly zoom?: ZoomSimulator;
  readonly clock?: Clock;
  /** Test knobs of the gateway: timers, jitter, the length of Zoom's "minute". */
  readonly gateway?: Partial<Pick<GatewayOptions, 'timers' | 'random' | 'rateWindowMs' | 'now' | 'liveSeams'>>;
  /** Where the gateway logs (silent unless a test reads the lines). */
  readonly logger?: Logger;
  /** Headers sent with every request (credentials). */
  readonly headers?: Record<string, string>;
}

/** The fake Zoom and the gateway, each on a real loopback port. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const clock = options.clock ?? new Clock();
  const zoom = options.zoom ?? (await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now: clock.now, ...options.simulator }, 0));
  const config = loadConfig({
    ZOOM_VIDEOSDK_API_KEY: API_KEY,
    ZOOM_VIDEOSDK_API_SECRET: API_SECRET,
    ZOOM_API_BASE_URL: zoom.baseUrl,
    NODE_ENV: 'test',
    // Suites that are not about Zoom's rate limit must not wait on it.
    ZOOM_LIST_SESSIONS_PER_MINUTE: '100000',
    ...options.env,
  });
  if (config.zoom.kind !== 'zoom') throw new Error('the test stack needs Zoom credentials');
  const gateway = await createGateway({ config, zoom: config.zoom, logger: options.logger ?? pino({ level: 'silent' }), now: clock.now, ...options.gateway });
  const { port } = await gateway.listen('127.0.0.1', 0);
  const url = `http://127.0.0.1:${port}/graphql`;
  const responses: string[] = [];

  const post = async (body: unknown): Promise<GraphQLAnswer<unknown>> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...options.headers }, body: JSON.stringify(body) });
    const text = await response.text();
    responses.push(text);
    return { status: response.status, body: JSON.parse(text) as GraphQLBody<unknown>, text };
  };

  return {
    zoom,
    gateway,
    url,
    clock,
    responses,
    post,
    async request<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables) {
      return (await post({ query: print(document), variables })) as GraphQLAnswer<TData>;
    },
    async close() {
      await gateway.close();
      if (!options.zoom) await zoom.close();
    },
  };
}

/** The one error of an answer, for tests that expect exactly one. */
export function onlyError(answer: GraphQLAnswer<unknown>): { message: string; code: unknown; extensions: Record<string, unknown> } {
  const errors = answer.body.errors ?? [];
  if (errors.length !== 1) throw new Error(`expected one error, got ${answer.text}`);
  return { message: errors[0].message, code: errors[0].extensions?.code, extensions: errors[0].extensions ?? {} };
}
