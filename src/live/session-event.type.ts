import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Session, toSession } from '../sessions/session.type';
import { SessionUser, participationKey, participationOf } from '../sessions/session-user.type';
import type { SessionUserNode } from '../sessions/session-users';
import type { LiveChange } from './live-change';
import type { LiveParticipant } from './live-state';
import { toLiveSessionUser } from './live-state';
import { toLiveWireUser } from './live-user-pages';
import { SessionEventType } from './session-event-type.enum';

@ObjectType({ description: 'Something that happened in a live session.' })
export class SessionEvent {
  @Field(() => SessionEventType) type!: SessionEventType;

  @Field(() => DateTimeResolver, { description: 'When Zoom says it happened (`event_ts`), or when the gateway noticed it without webhooks.' }) occurredAt!: Date;

  @Field(() => ID) sessionId!: string;

  @Field(() => Session, { nullable: true, description: 'The session after the event, as the live state knows it.' }) session!: Session | null;

  @Field(() => SessionUser, { nullable: true, description: 'The participant the event is about, if any.' }) user!: SessionUser | null;
}

export function toSessionEvent(change: LiveChange): SessionEvent {
  return {
    type: change.type,
    occurredAt: new Date(change.occurredAt),
    sessionId: change.sessionId,
    session: change.session === null ? null : toSession(change.session),
    user: change.user === null ? null : eventUser(change.sessionId, change.user),
  };
}

/** Placed as the live session's `users` list places it (from the same state), so both give the participant one global id. */
function eventUser(sessionId: string, participant: LiveParticipant): SessionUserNode {
  const wire = toLiveWireUser(participant);
  return { ...toLiveSessionUser(participant), place: { session: { id: sessionId, type: 'live' }, participation: participationKey(wire), identity: participationOf(wire) } };
}
