import { randomUUID } from 'node:crypto';
import { SessionPageSource, createSessionPageLoader } from './sessions/session-pages';
import { SessionsReader } from './sessions/sessions-reader';

/** Per request: loaders must not share their cache across users or moments. */
export interface GatewayContext {
  readonly requestId: string;
  readonly sessions: SessionsReader;
}

export interface ContextDependencies {
  readonly pages: SessionPageSource;
  readonly cursorKey: Buffer;
  readonly maxFirst: number;
  readonly now: () => number;
}

export function createContext(deps: ContextDependencies, requestId: string = randomUUID()): GatewayContext {
  return {
    requestId,
    sessions: new SessionsReader({ pages: createSessionPageLoader(deps.pages), cursorKey: deps.cursorKey, maxFirst: deps.maxFirst, now: deps.now }),
  };
}
