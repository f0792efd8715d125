import type { ApolloServerPlugin } from '@apollo/server';
import { activeSpan } from '../tracing/spans';

/**
 * Names the request's span after its operation once it is parsed (`query SessionsPage`, as
 * OpenTelemetry's GraphQL conventions name it) and records the error codes the client got.
 * With tracing off the active span does not record, and this does nothing.
 */
export function traceOperationPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const span = activeSpan();
      if (span === undefined || !span.isRecording()) return undefined;
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
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
