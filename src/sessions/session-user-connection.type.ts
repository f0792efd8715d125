import { ConnectionShape, connectionTypes } from '../pagination/connection.type';
import { SessionUser } from './session-user.type';

export const SessionUserConnection = connectionTypes('SessionUser', SessionUser, {
  one: 'participant',
  many: 'participants',
  page: 'A page of a session\'s participants, in Zoom\'s order.',
  cursorScope: ' (same session only)',
}).Connection;
export type SessionUserConnection = ConnectionShape<SessionUser>;
