import { ConnectionShape, EdgeShape, connectionTypes } from '../pagination/connection.type';
import { Session } from './session.type';

const types = connectionTypes('Session', Session, {
  edge: 'A session and the cursor that points at it.',
  cursor: 'Opaque; pass it as `after` to continue after this session.',
  connection: 'A page of sessions, newest window first, in Zoom\'s order within a window.',
  nodes: 'The same sessions as `edges`, without cursors.',
});

export const SessionEdge = types.Edge;
export type SessionEdge = EdgeShape<Session>;
export const SessionConnection = types.Connection;
export type SessionConnection = ConnectionShape<Session>;
