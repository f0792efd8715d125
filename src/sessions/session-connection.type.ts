import { ConnectionShape, EdgeShape, connectionTypes } from '../pagination/connection.type';
import { Session } from './session.type';

const types = connectionTypes('Session', Session, { one: 'session', many: 'sessions', page: 'A page of sessions, newest window first, in Zoom\'s order within a window.' });

export const SessionEdge = types.Edge;
export type SessionEdge = EdgeShape<Session>;
export const SessionConnection = types.Connection;
export type SessionConnection = ConnectionShape<Session>;
