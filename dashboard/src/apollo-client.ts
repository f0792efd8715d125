import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { tap } from 'rxjs';
import { lastAnswerStaleness } from './stale';
import { stalenessOf } from './staleness';

/** Same origin as the page: the gateway serves both, so no CORS and no other host. */
export const GRAPHQL_PATH = '/graphql';

/**
 * `sessions` pages are merged into one list per range and filter (relayStylePagination follows
 * `after`); `first` is left out of the key so that a page size change still extends the list.
 */
export const SESSIONS_KEY_ARGS = ['type', 'from', 'to', 'sessionKey', 'sessionName'];

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
 * One client per API key: a new key gets a new cache, so nothing one key saw shows under another.
 * No key: the gateway allows anonymous access (npm start without GATEWAY_API_KEYS).
 */
export function createDashboardClient(apiKey: string | undefined): ApolloClient {
  return new ApolloClient({
    link: ApolloLink.from([staleLink(), new HttpLink({ uri: GRAPHQL_PATH, headers: apiKey === undefined ? {} : { 'x-api-key': apiKey } })]),
    cache: new InMemoryCache({
      typePolicies: {
        Query: { fields: { sessions: relayStylePagination(SESSIONS_KEY_ARGS) } },
      },
    }),
  });
}
