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

/** Zoom's event names (docs/zoom-contract.md §6) for the kinds the graph carries; others are acknowledged and ignored. */
export const ZOOM_EVENT_TYPES: Readonly<Record<string, SessionEventType>> = Object.freeze({
  'session.started': SessionEventType.SESSION_STARTED,
  'session.ended': SessionEventType.SESSION_ENDED,
  'session.user_joined': SessionEventType.USER_JOINED,
  'session.user_left': SessionEventType.USER_LEFT,
  'session.sharing_started': SessionEventType.SHARING_STARTED,
  'session.sharing_ended': SessionEventType.SHARING_ENDED,
  'session.recording_started': SessionEventType.RECORDING_STARTED,
  'session.recording_stopped': SessionEventType.RECORDING_STOPPED,
  'session.recording_completed': SessionEventType.RECORDING_COMPLETED,
  'session.alert': SessionEventType.SESSION_ALERT,
});

registerEnumType(SessionEventType, {
  name: 'SessionEventType',
  description: 'What happened in a live session, as Zoom\'s webhooks report it (or, without webhooks, as successive live lists show it).',
  valuesConfig: {
    SESSION_STARTED: { description: 'The session started (Zoom fires it when the first user joins).' },
    SESSION_ENDED: { description: 'The session ended.' },
    USER_JOINED: { description: 'A participant joined.' },
    USER_LEFT: { description: 'A participant left.' },
    SHARING_STARTED: { description: 'A participant started sharing a screen.' },
    SHARING_ENDED: { description: 'A participant stopped sharing a screen.' },
    RECORDING_STARTED: { description: 'Cloud recording started.' },
    RECORDING_STOPPED: { description: 'Cloud recording stopped.' },
    RECORDING_COMPLETED: { description: 'A recording is ready.' },
    SESSION_ALERT: { description: 'Zoom raised an alert (unstable audio, video or screen share, high CPU, reconnection).' },
  },
});
