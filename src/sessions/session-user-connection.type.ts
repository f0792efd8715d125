import { ConnectionShape, EdgeShape, connectionTypes } from '../pagination/connection.type';
import { SessionUser } from './session-user.type';

const types = connectionTypes('SessionUser', SessionUser, {
  edge: 'A participant and the cursor that points at it.',
  cursor: 'Opaque; pass it as `after` to continue after this participant (same session only).',
  connection: 'A page of a session\'s participants, in Zoom\'s order.',
  nodes: 'The same participants as `edges`, without cursors.',
});

export const SessionUserEdge = types.Edge;
export type SessionUserEdge = EdgeShape<SessionUser>;
export const SessionUserConnection = types.Connection;
export type SessionUserConnection = ConnectionShape<SessionUser>;
