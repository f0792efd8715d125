import type { LiveNowQuery, LiveSessionEventsSubscription } from './generated/graphql';

export type LiveSessionNode = LiveNowQuery['sessions']['edges'][number]['node'];
export type LiveSessionEvent = LiveSessionEventsSubscription['sessionEvents'];

/** A live session as the Live now page shows it: who is in it now, not how many ever joined. */
export interface LiveSession {
  readonly id: string;
  readonly sessionName: string;
  readonly sessionKey: string | null;
  readonly startTime: string;
  readonly participantsNow: number;
}

export function fromNode(node: LiveSessionNode): LiveSession {
  return { id: node.id, sessionName: node.sessionName, sessionKey: node.sessionKey, startTime: node.startTime, participantsNow: node.userCount };
}

/**
 * The live set after one event. Pure, so the page re-renders from it and a spec pins it. The
 * gateway applies each Zoom event once (issue 12), so joins and leaves can be counted as deltas.
 */
export function applySessionEvent(sessions: readonly LiveSession[], event: LiveSessionEvent): readonly LiveSession[] {
  const index = sessions.findIndex((session) => session.id === event.sessionId);
  switch (event.type) {
    case 'SESSION_STARTED': {
      if (index >= 0) return sessions;
      const started: LiveSession = event.session
        ? fromNode(event.session)
        : { id: event.sessionId, sessionName: event.sessionId, sessionKey: null, startTime: event.occurredAt, participantsNow: 0 };
      return [started, ...sessions];
    }
    case 'SESSION_ENDED':
      return index < 0 ? sessions : sessions.filter((session) => session.id !== event.sessionId);
    case 'USER_JOINED':
    case 'USER_LEFT': {
      if (index < 0) return sessions;
      const delta = event.type === 'USER_JOINED' ? 1 : -1;
      return sessions.map((session, at) => (at === index ? { ...session, participantsNow: Math.max(0, session.participantsNow + delta) } : session));
    }
    default:
      return sessions;
  }
}
