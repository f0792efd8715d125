import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../sessions/request-context';

/**
 * Stale if error, said out loud: when a page past its freshness was served because Zoom failed or
 * the budget was spent, the response's `extensions.stale` says so, with the oldest such page's age.
 */
export function staleExtensionPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const ageMs = contextValue.zoomCalls.staleAgeMs;
          if (ageMs === undefined || response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          singleResult.extensions = { ...singleResult.extensions, stale: { ageSeconds: Math.max(0, Math.round(ageMs / 1000)) } };
        },
      };
    },
  };
}
