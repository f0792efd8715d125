import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ClientAuthenticator } from '../auth/client-auth';
import type { Config } from '../config';
import type { GatewayCore } from '../gateway';
import { registerSubscriptionServer } from './subscription-server';
import { registerWebhookRoute } from './webhook.routes';

/** The live surface: Zoom's webhook route (when its secret is set) and subscriptions on /graphql. */
export async function registerLiveRoutes(app: FastifyInstance, core: GatewayCore, options: { config: Config; authenticator: ClientAuthenticator; logger: Logger; now: () => number }): Promise<void> {
  const { config } = options;
  const secretToken = config.live.webhookSecretToken;
  if (secretToken !== undefined) {
    await registerWebhookRoute(app, { secretToken, bodyLimitBytes: config.live.webhookBodyLimitBytes, feed: core.live, now: options.now });
  }
  registerSubscriptionServer(app, {
    schema: core.schema,
    authenticator: options.authenticator,
    feed: core.live,
    live: config.live,
    limits: config.limits,
    maxPayloadBytes: config.http.bodyLimitBytes,
    hideSuggestions: config.nodeEnv === 'production',
    logger: options.logger,
  });
}
