import { GraphQLError } from 'graphql';
import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { badUserInput } from '../errors';
import { ListOfAtMost } from '../sessions/cost.directives';
import { MAX_FILTER_LENGTH } from '../sessions/sessions.args';
import type { LiveChange } from './live-change';
import { MAX_TRACKED_SESSIONS } from './live-state';
import type { LiveSetTick, SessionEventFilter } from './live-feed';
import { newestFirst } from './live-pages';
import { Session, toSession } from '../sessions/session.type';
import type { WireSession } from '../zoom/wire';
import { SessionEvent, toSessionEvent } from './session-event.type';
import { SessionEventType } from './session-event-type.enum';

/** What a subscription's context offers: its connection's way to open a subscriber queue, within limits. */
export interface SubscriptionContext {
  /** The client subscribing, as its Zoom call quota knows it (API key, JWT subject, or address). */
  readonly client: string;
  readonly sessionEvents: (filter: SessionEventFilter) => AsyncIterable<LiveChange>;
  readonly liveSetTicks: () => AsyncIterable<LiveSetTick>;
  readonly liveSet: () => Promise<WireSession[]>;
}

function overWebSocketOnly(field: string): GraphQLError {
  return new GraphQLError(`${field} is a subscription: open a WebSocket to /graphql (graphql-transport-ws protocol) and subscribe there.`, { extensions: { code: 'BAD_REQUEST' } });
}

interface SessionEventsArgs {
  readonly sessionId?: string | null;
  readonly types?: readonly SessionEventType[] | null;
}

export function parseSessionEventsArgs(args: SessionEventsArgs): SessionEventFilter {
  const { sessionId, types } = args;
  if (sessionId === '') throw badUserInput('`sessionId` must not be empty; omit it for every session.', 'sessionId');
  if (sessionId !== undefined && sessionId !== null && sessionId.length > MAX_FILTER_LENGTH) throw badUserInput(`\`sessionId\` is longer than ${MAX_FILTER_LENGTH} characters.`, 'sessionId');
  if (types !== undefined && types !== null && types.length === 0) throw badUserInput('`types` must not be empty; omit it for every kind.', 'types');
  return {
    ...(sessionId === undefined || sessionId === null ? {} : { sessionId }),
    ...(types === undefined || types === null ? {} : { types: new Set(types) }),
  };
}

@Resolver()
export class SessionEventsResolver {
  @Subscription(() => SessionEvent, {
    description: 'Events of live sessions as Zoom reports them: all sessions, or one; all kinds, or some.',
    subscribe: ({ args, context }: { args: SessionEventsArgs; context: SubscriptionContext }) => context.sessionEvents(parseSessionEventsArgs(args)),
  })
  sessionEvents(
    @Root() change: LiveChange | undefined,
    @Arg('sessionId', () => ID, { nullable: true }) _sessionId: string | null,
    @Arg('types', () => [SessionEventType], { nullable: true }) _types: SessionEventType[] | null,
  ): SessionEvent {
    // Over HTTP a subscription is executed once, with no event: there is nothing to answer.
    if (change === undefined || change === null) throw overWebSocketOnly('sessionEvents');
    return toSessionEvent(change);
  }

  @Subscription(() => [Session], {
    description: 'The live sessions, newest first: the whole set on subscribe and again after changes (a dashboard\'s view, kept current).',
    subscribe: ({ context }: { context: SubscriptionContext }) => context.liveSetTicks(),
  })
  // The set has no `first`: it holds as many sessions as are live, up to what the live state tracks.
  @ListOfAtMost(MAX_TRACKED_SESSIONS)
  async liveSessions(@Root() tick: LiveSetTick | undefined, @Ctx() context: SubscriptionContext): Promise<Session[]> {
    if (tick === undefined || tick === null || typeof context.liveSet !== 'function') throw overWebSocketOnly('liveSessions');
    return (await context.liveSet()).sort(newestFirst).map(toSession);
  }
}
