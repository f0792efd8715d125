import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { FastifyBaseLogger, FastifyInstance, LogController } from 'fastify';
import type { GatewayContext } from './context';
import { createFormatError } from './errors';
import { GatewayCore, GatewayOptions, createGatewayCore } from './gateway';

export type { GatewayOptions, ZoomEndpoint } from './gateway';
export { cursorKeyFor } from './gateway';

export interface Gateway {
  readonly app: FastifyInstance;
  readonly core: GatewayCore;
  readonly metrics: GatewayCore['metrics'];
  readonly governor: GatewayCore['governor'];
  readonly breaker: GatewayCore['breaker'];
  /** Stops taking requests, lets in-flight ones finish, then closes Zoom sockets. */
  close(): Promise<void>;
}

/** Builds the HTTP app with GraphQL at /graphql; never listens (main.ts and tests do). */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { logger } = options;
  const core = await createGatewayCore(options);
  const fastifyLogger: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance: fastifyLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  const apollo = new ApolloServer<GatewayContext>({
    schema: core.schema,
    formatError: createFormatError({ error: (message, details) => logger.error(details ?? {}, message) }),
    includeStacktraceInErrorResponses: false,
    logger,
    plugins: [fastifyApolloDrainPlugin(app)],
  });
  await apollo.start();

  app.route({
    url: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    handler: fastifyApolloHandler(apollo, { context: async () => core.createContext(randomUUID()) }),
  });

  return {
    app,
    core,
    metrics: core.metrics,
    governor: core.governor,
    breaker: core.breaker,
    async close() {
      await app.close();
      core.close();
    },
  };
}
