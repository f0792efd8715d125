import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation, relayStylePagination } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';
import { GRAPHQL_PATH, SESSIONS_KEY_ARGS } from '../src/apollo-client';

/** graphql-ws on the same origin and path as queries (issue 12: `graphql-transport-ws` on /graphql). */
export function subscriptionUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${GRAPHQL_PATH}`;
}

/**
 * Replaces createDashboardClient once subscriptions exist: queries over HTTP, subscriptions over one
 * WebSocket that authenticates in `connection_init` (a browser cannot set headers on an upgrade).
 */
export function createLiveDashboardClient(apiKey: string | undefined): ApolloClient {
  const ws = new GraphQLWsLink(
    createClient({
      url: subscriptionUrl(window.location),
      connectionParams: apiKey === undefined ? {} : { 'x-api-key': apiKey },
      // A closed laptop lid or a gateway restart: reconnect, with graphql-ws's own backoff.
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
    }),
  );
  const http = new HttpLink({ uri: GRAPHQL_PATH, headers: apiKey === undefined ? {} : { 'x-api-key': apiKey } });
  return new ApolloClient({
    link: ApolloLink.split(({ query }) => isSubscriptionOperation(query), ws, http),
    cache: new InMemoryCache({
      typePolicies: {
        Query: { fields: { sessions: relayStylePagination(SESSIONS_KEY_ARGS) } },
        Session: { fields: { users: relayStylePagination() } },
      },
    }),
  });
}
