import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { type Failure, describeFailure, errorsInBody } from './failure';

/** Apollo's error shapes, reduced to what the gateway said. */
export function failureOf(error: unknown): Failure {
  if (CombinedGraphQLErrors.is(error)) return describeFailure(error.errors);
  if (ServerError.is(error)) return describeFailure(errorsInBody(error.bodyText), error.statusCode);
  return describeFailure([], undefined);
}
