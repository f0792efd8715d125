import type { ApolloServerPlugin } from '@apollo/server';
import { activeSpan } from '../tracing/spans';

/** A client names its operations at will (up to the body limit): a span carries the first characters only. */
export const TRACED_NAME_MAX_CHARS = 100;

/**
 * Names the request's span after its operation once it is parsed (`query SessionsPage`, as
 * OpenTelemetry's GraphQL conventions name it) and records the error codes the client got.
 * With tracing off the active span does not record, and this does nothing.
 */
export function traceOperationPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  const operationsOn = new WeakMap<object, number>();
  return {
    async requestDidStart() {
      const span = activeSpan();
      if (span === undefined || !span.isRecording()) return undefined;
      return {
        async didResolveOperation({ operation, operationName: fullName }) {
          if (!operation) return;
          const operationName = fullName?.slice(0, TRACED_NAME_MAX_CHARS);
          // The operations of a batch share the request's span: it is named for the batch, not for whichever came last.
          const operations = (operationsOn.get(span) ?? 0) + 1;
          operationsOn.set(span, operations);
          if (operations > 1) {
            span.updateName(`batch of ${operations} operations`);
            span.setAttributes({ 'graphql.batch.size': operations, 'graphql.operation.name': '(batch)' });
            return;
          }
          span.updateName(operationName ? `${operation.operation} ${operationName}` : operation.operation);
          span.setAttributes({ 'graphql.operation.type': operation.operation, ...(operationName ? { 'graphql.operation.name': operationName } : {}) });
        },
        async willSendResponse({ response }) {
          const sent = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          if (sent && sent.length > 0) span.setAttribute('graphql.error.codes', sent.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')));
        },
      };
    },
  };
}
