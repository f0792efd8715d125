import { createHmac } from 'node:crypto';
import type { SimSession } from './dataset';

/** A participant as Zoom's user events describe them (docs/zoom-contract.md §6). */
export interface SimParticipant {
  id: string;
  name: string;
  participant_uuid: string;
  user_key?: string;
}

/** Zoom's webhook envelope (docs/zoom-contract.md §6): no event id; `event_ts` in epoch ms. */
export interface ZoomWebhookBody {
  event: string;
  event_ts: number;
  payload: { account_id: string; object: Record<string, unknown> };
}

export const SIMULATED_ACCOUNT_ID = 'simulated-account';

function sessionObject(session: Pick<SimSession, 'id' | 'session_name' | 'start_time' | 'session_key'>): Record<string, unknown> {
  return { id: session.id, session_id: session.id, session_name: session.session_name, start_time: session.start_time, ...(session.session_key ? { session_key: session.session_key } : {}) };
}

export function sessionEvent(event: 'session.started' | 'session.ended', session: SimSession, eventTs: number, endTime?: string): ZoomWebhookBody {
  const object = { ...sessionObject(session), ...(event === 'session.ended' ? { end_time: endTime ?? new Date(eventTs).toISOString() } : {}) };
  return { event, event_ts: eventTs, payload: { account_id: SIMULATED_ACCOUNT_ID, object } };
}

export function userEvent(event: 'session.user_joined' | 'session.user_left', session: SimSession, user: SimParticipant, eventTs: number): ZoomWebhookBody {
  const at = new Date(eventTs).toISOString();
  const time = event === 'session.user_joined' ? { join_time: at } : { leave_time: at, leave_reason: 'left the session' };
  return { event, event_ts: eventTs, payload: { account_id: SIMULATED_ACCOUNT_ID, object: { ...sessionObject(session), user: { ...user, ...time } } } };
}

/** Zoom's signature headers for a body sent at `nowMs` (docs/zoom-contract.md §6). */
export function signWebhook(secretToken: string, rawBody: string, nowMs: number): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const signature = `v0=${createHmac('sha256', secretToken).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  return { 'content-type': 'application/json', 'x-zm-signature': signature, 'x-zm-request-timestamp': timestamp };
}

/** Posts an event as Zoom does; the answer's status. */
export async function postWebhook(url: string, secretToken: string, body: ZoomWebhookBody, nowMs: number = Date.now()): Promise<number> {
  const raw = JSON.stringify(body);
  const response = await fetch(url, { method: 'POST', headers: signWebhook(secretToken, raw, nowMs), body: raw });
  await response.arrayBuffer();
  return response.status;
}
