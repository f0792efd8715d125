import type { Failure } from './failure';

/**
 * graphql-ws's Forbidden: the gateway's `onConnect` turned the key in `connection_init` down. Retrying
 * cannot help, unlike a restart or a lost network (graphql-ws already gives up on 4401 by itself).
 */
export const KEY_REFUSED_CLOSE_CODE = 4403;

function closeCodeOf(event: unknown): number | undefined {
  return typeof event === 'object' && event !== null && 'code' in event && typeof event.code === 'number' ? event.code : undefined;
}

/** Whether the subscriptions' socket should reconnect after this close or error event. */
export function reconnectsAfter(event: unknown): boolean {
  const code = closeCodeOf(event);
  return code !== KEY_REFUSED_CLOSE_CODE && code !== 4401;
}

/** Apollo's GraphQLWsLink reports a close as `Error("Socket closed with event <code> <reason>")`. */
export function liveFailureOf(error: { readonly message: string }): Failure {
  const code = /^Socket closed with event (\d+)/.exec(error.message)?.[1];
  if (code === String(KEY_REFUSED_CLOSE_CODE) || code === '4401') return { kind: 'unauthenticated', message: 'The gateway refused this API key for live updates.' };
  return { kind: 'other', code: undefined, message: error.message };
}
