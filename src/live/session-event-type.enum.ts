import { registerEnumType } from 'type-graphql';

export enum SessionEventType {
  SESSION_STARTED = 'SESSION_STARTED',
  SESSION_ENDED = 'SESSION_ENDED',
  USER_JOINED = 'USER_JOINED',
  USER_LEFT = 'USER_LEFT',
  SHARING_STARTED = 'SHARING_STARTED',
  SHARING_ENDED = 'SHARING_ENDED',
  RECORDING_STARTED = 'RECORDING_STARTED',
  RECORDING_STOPPED = 'RECORDING_STOPPED',
  RECORDING_COMPLETED = 'RECORDING_COMPLETED',
  SESSION_ALERT = 'SESSION_ALERT',
}

/**
 * Each kind once: Zoom's event name (docs/zoom-contract.md §6) and what the graph says of it. The
 * Record type makes a kind added to the enum without its Zoom name a compile error.
 */
const KINDS: Readonly<Record<SessionEventType, { readonly zoomEvent: string; readonly description: string }>> = {
  SESSION_STARTED: { zoomEvent: 'session.started', description: 'The session started (Zoom fires it when the first user joins).' },
  SESSION_ENDED: { zoomEvent: 'session.ended', description: 'The session ended.' },
  USER_JOINED: { zoomEvent: 'session.user_joined', description: 'A participant joined.' },
  USER_LEFT: { zoomEvent: 'session.user_left', description: 'A participant left.' },
  SHARING_STARTED: { zoomEvent: 'session.sharing_started', description: 'A participant started sharing a screen.' },
  SHARING_ENDED: { zoomEvent: 'session.sharing_ended', description: 'A participant stopped sharing a screen.' },
  RECORDING_STARTED: { zoomEvent: 'session.recording_started', description: 'Cloud recording started.' },
  RECORDING_STOPPED: { zoomEvent: 'session.recording_stopped', description: 'Cloud recording stopped.' },
  RECORDING_COMPLETED: { zoomEvent: 'session.recording_completed', description: 'A recording is ready.' },
  SESSION_ALERT: { zoomEvent: 'session.alert', description: 'Zoom raised an alert (unstable audio, video or screen share, high CPU, reconnection).' },
};

const kinds = Object.entries(KINDS) as [SessionEventType, (typeof KINDS)[SessionEventType]][];

/** Zoom's event names for the kinds the graph carries; others are acknowledged and ignored. */
export const ZOOM_EVENT_TYPES: Readonly<Record<string, SessionEventType>> = Object.freeze(
  Object.fromEntries(kinds.map(([type, { zoomEvent }]) => [zoomEvent, type])),
);

registerEnumType(SessionEventType, {
  name: 'SessionEventType',
  description: 'What happened in a live session, as Zoom\'s webhooks report it (or, without webhooks, as successive live lists show it).',
  valuesConfig: Object.fromEntries(kinds.map(([type, { description }]) => [type, { description }])),
});
