import { createHmac } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { FastifyBaseLogger, FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { GatewayContext, createContext } from './context';
import type { Config } from './config';
import { createFormatError } from './errors';
import { buildGatewaySchema } from './schema';
import { zoomSessionPages } from './sessions/session-pages';
import { ZoomClient } from './zoom/client';

/** Where the gateway reaches Zoom: the real API, or a simulator main.ts started. */
export interface ZoomEndpoint {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
}

export interface GatewayOptions {
  readonly config: Config;
  readonly zoom: ZoomEndpoint;
  readonly logger: Logger;
  /** The clock for "today" and JWT expiry; tests move it. */
  readonly now?: () => number;
}

export interface Gateway {
  readonly app: FastifyInstance;
  /** Stops taking requests, lets in-flight ones finish, then closes Zoom sockets. */
  close(): Promise<void>;
}

/** Cursors must verify on every instance and after restarts, so their key derives from a shared secret. */
export function cursorKeyFor(config: Config, zoom: ZoomEndpoint): Buffer {
  return createHmac('sha256', config.cursorSecret ?? zoom.apiSecret).update('zoom-gateway cursor key v1').digest();
}

/** Builds the HTTP app with GraphQL at /graphql; never listens (main.ts and tests do). */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, zoom, logger } = options;
  const now = options.now ?? Date.now;
  const client = new ZoomClient({ baseUrl: zoom.baseUrl, apiKey: zoom.apiKey, apiSecret: zoom.apiSecret, timeoutMs: config.zoomTimeoutMs, now });
  const pages = zoomSessionPages(client);
  const cursorKey = cursorKeyFor(config, zoom);

  const fastifyLogger: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance: fastifyLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  const apollo = new ApolloServer<GatewayContext>({
    schema: await buildGatewaySchema(),
    formatError: createFormatError({ error: (message, details) => logger.error(details ?? {}, message) }),
    includeStacktraceInErrorResponses: false,
    logger,
    plugins: [fastifyApolloDrainPlugin(app)],
  });
  await apollo.start();

  app.route({
    url: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    handler: fastifyApolloHandler(apollo, {
      context: async () => createContext({ pages, cursorKey, maxFirst: config.maxFirst, now }),
    }),
  });

  return {
    app,
    async close() {
      await app.close();
      client.close();
    },
  };
}
