import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors';

export const QUERY_LIMIT_EXCEEDED = ErrorCode.QUERY_LIMIT_EXCEEDED;

export type LimitName = 'depth' | 'aliases' | 'rootFields' | 'directives' | 'tokens' | 'cost' | 'heavyCost' | 'batch';

export function limitError(limit: LimitName, max: number, found: number, message: string): GraphQLError {
  return new GraphQLError(`${message} (limit ${limit}: at most ${max}, found ${found}).`, {
    extensions: { code: QUERY_LIMIT_EXCEEDED, limit, max, found, http: { status: 400 } },
  });
}
