import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation, relayStylePagination } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';
import { tap } from 'rxjs';
import { sendingDocumentIds, subscribingByDocumentId } from './document-ids';
import { reconnectsAfter } from './live-socket';
import { lastAnswerStaleness } from './stale';
import { stalenessOf } from './staleness';

/** Same origin as the page: the gateway serves both, so no CORS and no other host. */
export const GRAPHQL_PATH = '/graphql';

/**
 * `sessions` pages are merged into one list per range and filter (relayStylePagination follows
 * `after`); `first` is left out of the key so that a page size change still extends the list.
 */
export const SESSIONS_KEY_ARGS = ['type', 'from', 'to', 'sessionKey', 'sessionName'];

/** graphql-ws (`graphql-transport-ws`) on the same origin and path as queries. */
export function subscriptionUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${GRAPHQL_PATH}`;
}

function staleLink(): ApolloLink {
  return new ApolloLink((operation, forward) =>
    forward(operation).pipe(
      tap((result) => {
        const name = operation.operationName;
        if (name) lastAnswerStaleness({ ...lastAnswerStaleness(), [name]: stalenessOf(result.extensions) });
      }),
    ),
  );
}

/**
 * Subscriptions over one WebSocket, opened lazily by the first subscription (the Sessions page never
 * opens one). The key goes in `connection_init`: a browser cannot set headers on an upgrade.
 */
function subscriptionLink(apiKey: string | undefined): ApolloLink {
  return new GraphQLWsLink(
    createClient({
      url: subscriptionUrl(window.location),
      connectionParams: apiKey === undefined ? {} : { 'x-api-key': apiKey },
      // As over HTTP: a production build names its documents by id (trusted documents).
      jsonMessageReplacer: import.meta.env.PROD ? subscribingByDocumentId() : undefined,
      // A closed laptop lid or a gateway restart: reconnect, with graphql-ws's own backoff; a refused key: stop.
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: reconnectsAfter,
    }),
  );
}

/**
 * One client per API key: a new key gets a new cache (and socket), so nothing one key saw shows under
 * another. No key: the gateway allows anonymous access (npm start without GATEWAY_API_KEYS).
 */
export function createDashboardClient(apiKey: string | undefined): ApolloClient {
  // A production build sends its documents' ids (trusted documents); development sends their text, which the
  // gateway serves unless it enforces trusted documents, and which the browser's network panel shows.
  const fetcher = import.meta.env.PROD ? sendingDocumentIds((input, init) => fetch(input, init)) : undefined;
  const http = ApolloLink.from([staleLink(), new HttpLink({ uri: GRAPHQL_PATH, headers: apiKey === undefined ? {} : { 'x-api-key': apiKey }, fetch: fetcher })]);
  return new ApolloClient({
    link: ApolloLink.split(({ query }) => isSubscriptionOperation(query), subscriptionLink(apiKey), http),
    cache: new InMemoryCache({
      typePolicies: {
        Query: { fields: { sessions: relayStylePagination(SESSIONS_KEY_ARGS) } },
        Session: { fields: { users: relayStylePagination() } },
      },
    }),
  });
}
