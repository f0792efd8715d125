import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { ClientAuthenticator } from '../auth/client-auth';
import type { CredentialEnd, CredentialWatch } from '../auth/credential-watch';
import type { LimitsConfig } from '../config';
import type { LiveFeed } from '../live/live-feed';
import type { TrustedProxies } from './client-address';
import type { ClientPlaces } from './client-places';
import type { LogLine } from '../rate-limited-log';
import type { EventContextFactory } from './shared-execution';
import type { DocumentTrust } from './trusted-request';
import type { CostLimits } from '../query-limits/cost.plugin';

/** What both transports answer a browser page from an origin outside CORS_ORIGINS. */
export const FOREIGN_ORIGIN_REFUSAL = { status: 403, code: 'FORBIDDEN', message: 'This origin may not subscribe here (CORS_ORIGINS).' } as const;
/** What both transports answer a newcomer when every place is taken (and none can be evicted). */
export const NO_PLACE_REFUSAL = { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'Every subscription place is taken (SUBSCRIPTIONS_MAX_CONNECTIONS); try again later.' } as const;

/** Why a connection is ended when its credential is no longer good (WebSocket close 4403, which graphql-ws's client retries with fresh credentials). */
export function credentialEndReason(why: CredentialEnd): string {
  return why === 'revoked' ? 'Forbidden: the API key was revoked' : 'Forbidden: the token expired';
}

/** What both subscription transports (WebSocket and server-sent events) hold to the same rules. */
export interface SubscriptionTransportOptions {
  readonly schema: GraphQLSchema;
  readonly authenticator: ClientAuthenticator;
  /** Ends a connection when its credential is revoked or expires. */
  readonly credentials: CredentialWatch;
  readonly feed: LiveFeed;
  readonly limits: LimitsConfig;
  /** The cost limits of POST /graphql: a subscription is priced per event as a query is. */
  readonly cost: CostLimits;
  /** CORS_ORIGINS: the browser origins that may subscribe, besides the gateway's own. */
  readonly corsOrigins: readonly string[];
  readonly proxies: TrustedProxies;
  /** Per-client caps, shared by the transports. */
  readonly places: ClientPlaces;
  /** Where refused subscribe requests are logged (info, rate-limited: clients cause them at will). */
  readonly refusals: LogLine;
  /** Trusted documents, judged on subscribe as on POST /graphql. */
  readonly trust: DocumentTrust;
  /** One context per event, shared by its executions: a query's loaders and call caps. */
  readonly eventContext: EventContextFactory;
  readonly hideSuggestions: boolean;
  readonly logger: Logger;
  readonly now: () => number;
}
