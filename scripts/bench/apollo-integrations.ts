import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { startStandaloneServer } from '@apollo/server/standalone';
import { expressMiddleware } from '@as-integrations/express5';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import express from 'express';
import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import type { GatewayContext } from '../../src/context';
import { createFormatError } from '../../src/errors';
import type { GatewayCore } from '../../src/gateway';

/**
 * One gateway core behind each Apollo Server integration, with the same ApolloServer options
 * as src/server.ts, so that only the HTTP layer differs between them.
 */

export const INTEGRATIONS = ['fastify', 'standalone', 'express5'] as const;
export type Integration = (typeof INTEGRATIONS)[number];

export const INTEGRATION_LABELS: Record<Integration, string> = {
  fastify: 'fastify 5 + @as-integrations/fastify',
  standalone: '@apollo/server/standalone (startStandaloneServer)',
  express5: 'express 5 + @as-integrations/express5',
};

export interface MountedIntegration {
  readonly url: string;
  close(): Promise<void>;
}

function apolloFor(core: GatewayCore, logger: Logger, plugins: ApolloServerPlugin<GatewayContext>[]): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    schema: core.schema,
    formatError: createFormatError(logger, { hideSuggestions: false, now: Date.now }),
    includeStacktraceInErrorResponses: false,
    logger,
    plugins,
  });
}

export async function mountIntegration(integration: Integration, core: GatewayCore, logger: Logger): Promise<MountedIntegration> {
  const context = async () => core.createContext(randomUUID());
  if (integration === 'fastify') {
    const app = Fastify({ loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }) });
    const apollo = apolloFor(core, logger, [fastifyApolloDrainPlugin(app)]);
    await apollo.start();
    app.route({ url: '/graphql', method: ['GET', 'POST', 'OPTIONS'], handler: fastifyApolloHandler(apollo, { context }) });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    return { url: `${address}/graphql`, close: () => app.close() };
  }
  if (integration === 'standalone') {
    // startStandaloneServer adds its own drain plugin and starts the server.
    const apollo = apolloFor(core, logger, []);
    const { url } = await startStandaloneServer(apollo, { listen: { host: '127.0.0.1', port: 0 }, context });
    return { url: `${url.replace(/\/$/, '')}/graphql`, close: () => apollo.stop() };
  }
  const app = express();
  const httpServer = createServer(app);
  const apollo = apolloFor(core, logger, [ApolloServerPluginDrainHttpServer({ httpServer })]);
  await apollo.start();
  app.use('/graphql', express.json(), expressMiddleware(apollo, { context }));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/graphql`, close: () => apollo.stop() };
}
