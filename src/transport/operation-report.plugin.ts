import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayMetrics } from '../metrics';

/** What one GraphQL request did, for its log line and metrics. */
export interface OperationReport {
  operationName: string | undefined;
  errorCodes: string[];
}

/** Client-chosen names become metric labels only when plain and few; the rest count as "other". */
const OPERATION_NAME = /^[A-Za-z_]\w{0,63}$/;
const MAX_OPERATION_LABELS = 200;
const LOGGED_NAME_MAX_CHARS = 200;

/**
 * Records each operation's name, outcome and latency, and leaves a report for the request's log
 * line. Apollo hands plugins a shallow copy of the context, so reports are keyed by an object
 * inside it (`keyOf`), which the copy shares with the original.
 */
export function operationReportPlugin<TContext extends object>(
  metrics: GatewayMetrics,
  reports: WeakMap<object, OperationReport>,
  keyOf: (context: TContext) => object,
): ApolloServerPlugin<TContext> {
  const labels = new Set<string>();
  const labelFor = (name: string | undefined): string => {
    if (name === undefined) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (labels.has(name)) return name;
    if (labels.size >= MAX_OPERATION_LABELS) return 'other';
    labels.add(name);
    return name;
  };
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ request, operationName, response }) {
          // A client names its operations at will, up to the body limit: its log line keeps the first characters.
          const name = (operationName ?? request.operationName ?? undefined)?.slice(0, LOGGED_NAME_MAX_CHARS);
          // The errors as the client got them, after formatError mapped Zoom's and masked the rest.
          const sent = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          const errorCodes = (sent ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          reports.set(keyOf(contextValue), { operationName: name, errorCodes });
          const operation = labelFor(name);
          metrics.graphqlRequests.inc({ operation, outcome: errorCodes[0] ?? 'ok' });
          metrics.graphqlSeconds.observe({ operation }, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
