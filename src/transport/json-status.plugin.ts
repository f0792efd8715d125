import type { ApolloServerPlugin } from '@apollo/server';

/**
 * Request errors the GraphQL-over-HTTP spec answers 200 to a client that accepts only application/json; a limit
 * refused before execution is one of them, whether found while validating (depth, aliases) or just after (cost).
 */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'QUERY_LIMIT_EXCEEDED']);

/**
 * GraphQL over HTTP: legacy `application/json` clients SHOULD get 200 for documents that fail to
 * parse, validate or coerce (they read errors from the body); `application/graphql-response+json`
 * clients keep Apollo's 400.
 */
export function legacyJsonStatusPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response, errors }) {
          const accept = request.http?.headers.get('accept') ?? '';
          if (response.http.status !== 400 || accept.includes('application/graphql-response+json') || !errors?.length) return;
          if (errors.every((error) => REQUEST_ERROR_CODES.has(String(error.extensions?.code)))) response.http.status = 200;
        },
      };
    },
  };
}
