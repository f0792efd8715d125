import { heavyCapReached } from '../errors';
import { CallCapReached } from './call-budget';
import type { NodeKey } from './node-id';
import { isUnknownSession } from './session-details';
import type { SessionLookupLoader } from './session-lookup';
import type { SessionRef } from './session-ref';
import type { Session } from './session.type';
import { pageOrRewalk } from './session-user-pages';
import { participationOf } from './session-user.type';
import { SessionUserNode, SessionUsersDeps, toSessionUserNode } from './session-users';

/** What a node lookup reads through: the request's own loaders, as `session(id)`, `_entities` and `Session.users` do. */
export interface NodeLookupDeps {
  readonly sessionById: SessionLookupLoader;
  readonly users: SessionUsersDeps;
}

/**
 * A participant by its session, type and participation: the session's participants list read
 * from its start (pages shared with `Session.users` in this request and cached across requests)
 * until the entry is found; null when the list ends without it or Zoom knows no such session.
 */
async function findSessionUser(session: SessionRef, userId: string, joinTime: string, deps: SessionUsersDeps): Promise<SessionUserNode | null> {
  let token = '';
  try {
    for (let index = 0; ; index += 1) {
      const page = await pageOrRewalk(deps.pages, { session, index, token });
      const wire = page.users.find((user) => {
        const identity = participationOf(user);
        return identity.userId === userId && identity.joinTime === joinTime;
      });
      if (wire !== undefined) return toSessionUserNode(session, wire, deps.exposePersonalData);
      if (page.nextPageToken === '') return null;
      token = page.nextPageToken;
    }
  } catch (error) {
    if (isUnknownSession(error)) return null;
    // Unlike a connection, a lookup has nothing partial to serve: it fails alone, as a details field does.
    if (error instanceof CallCapReached) throw heavyCapReached(error.cap);
    throw error;
  }
}

/** The object a global id names, or null when Zoom no longer has it. */
export function findNode(key: NodeKey, deps: NodeLookupDeps): Promise<Session | SessionUserNode | null> {
  if (key.type === 'Session') return deps.sessionById.load(key.sessionId);
  return findSessionUser(key.session, key.userId, key.joinTime, deps.users);
}
