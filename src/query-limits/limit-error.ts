import { GraphQLError } from 'graphql';

/** The one code for every request limit; `extensions.limit` says which, `max` and `found` by how much. */
export const QUERY_LIMIT_EXCEEDED = 'QUERY_LIMIT_EXCEEDED';

export type LimitName = 'depth' | 'aliases' | 'rootFields' | 'directives' | 'tokens' | 'cost' | 'heavyCost' | 'batch';

export function limitError(limit: LimitName, max: number, found: number, message: string): GraphQLError {
  return new GraphQLError(`${message} (limit ${limit}: at most ${max}, found ${found}).`, {
    extensions: { code: QUERY_LIMIT_EXCEEDED, limit, max, found, http: { status: 400 } },
  });
}
