import { print } from 'graphql';
import WebSocket from 'ws';
import { SessionEventsDocument } from '../generated/graphql';

/** A raw graphql-transport-ws client: every message and the close code, for tests that check the protocol itself. */
export interface ProtocolClient {
  readonly socket: WebSocket;
  readonly messages: Record<string, unknown>[];
  readonly closed: Promise<{ code: number; reason: string }>;
  send(message: Record<string, unknown>): void;
  /** The next message (after those already taken) that matches. */
  next(match?: (message: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function openProtocolClient(url: string, headers: Record<string, string> = {}): Promise<ProtocolClient> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
  const messages: Record<string, unknown>[] = [];
  let taken = 0;
  const waiters: (() => void)[] = [];
  socket.on('message', (data: WebSocket.RawData) => {
    messages.push(JSON.parse(data.toString()) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code: number, reason: Buffer) => {
      resolve({ code, reason: reason.toString() });
      for (const wake of waiters.splice(0)) wake();
    });
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade answered ${response.statusCode}`)));
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    closed,
    send: (message) => socket.send(JSON.stringify(message)),
    async next(match = () => true, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (taken < messages.length) {
          const message = messages[taken++];
          if (match(message)) return message;
        }
        if (socket.readyState === WebSocket.CLOSED) throw new Error(`socket closed; messages: ${JSON.stringify(messages)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching message in ${timeoutMs} ms; got ${JSON.stringify(messages)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async close() {
      if (socket.readyState !== WebSocket.CLOSED) {
        socket.close();
        await closed;
      }
    },
  };
}

/** connection_init, then waits for connection_ack. */
export async function initialise(client: ProtocolClient, payload: Record<string, unknown> = {}): Promise<void> {
  client.send({ type: 'connection_init', payload });
  await client.next((message) => message.type === 'connection_ack');
}

export const SESSION_EVENTS = print(SessionEventsDocument);

/** Subscribes to sessionEvents with id `id`. */
export function subscribeEvents(client: ProtocolClient, id: string, variables: Record<string, unknown> = {}): void {
  client.send({ id, type: 'subscribe', payload: { query: SESSION_EVENTS, variables } });
}
