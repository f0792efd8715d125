import WebSocket from 'ws';

/**
 * Child-process entry for the live bench's subscribers: graphql-ws clients, one subscription per
 * socket, apart from the bench process (which posts the webhooks) and from the gateway, so that
 * neither's work is timed as the other's. A delivery is stamped when its frame is read, on the
 * clock every process shares (`performance.timeOrigin + performance.now()`), and found by its
 * sessionId without parsing the message: the subscriber's own cost stays out of the latency.
 */

export type SubscribersCommand =
  | { readonly open: { readonly url: string; readonly keys: readonly string[]; readonly count: number; readonly query: string; readonly subscribe: boolean } }
  | { readonly subscribe: true }
  | { readonly delivered: true }
  | { readonly collect: true };

export type SubscribersAnswer =
  | { readonly opened: number }
  | { readonly subscribed: number }
  | { readonly delivered: number }
  | { readonly receipts: Record<string, number[]> }
  | { readonly failed: string };

/** Handshakes in flight at once: well under the gateway's upgrade burst per address. */
const OPENING_AT_ONCE = 100;
const SESSION_ID = Buffer.from('"sessionId":"');

const sockets: WebSocket[] = [];
/** Sockets opened without subscribing, for measuring a connection's memory apart from its subscription's. */
let unsubscribed: WebSocket[] = [];
let query = '';
let delivered = 0;
let receipts = new Map<string, number[]>();

function now(): number {
  return performance.timeOrigin + performance.now();
}

function onMessage(data: WebSocket.RawData): void {
  const at = now();
  const bytes = data as Buffer;
  const start = bytes.indexOf(SESSION_ID);
  if (start < 0) return;
  const from = start + SESSION_ID.length;
  const sessionId = bytes.toString('latin1', from, bytes.indexOf(34, from));
  delivered += 1;
  const times = receipts.get(sessionId);
  if (times) times.push(at);
  else receipts.set(sessionId, [at]);
}

/** An initialised graphql-ws connection: open, `connection_init` with the key, `connection_ack`. */
function connect(url: string, key: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
    socket.once('error', reject);
    socket.once('close', (code, reason) => reject(new Error(`closed with ${code} ${reason.toString()} before connection_ack`)));
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { 'x-api-key': key } })));
    socket.once('message', (data: WebSocket.RawData) => {
      if (!(data as Buffer).toString().includes('"connection_ack"')) return reject(new Error(`expected connection_ack, got ${(data as Buffer).toString()}`));
      socket.removeAllListeners('close');
      socket.on('message', onMessage);
      socket.on('close', (code) => process.send?.({ failed: `a subscriber's socket was closed with ${code}` }));
      resolve(socket);
    });
  });
}

function subscribe(socket: WebSocket): void {
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
}

async function open(command: Extract<SubscribersCommand, { open: unknown }>['open']): Promise<number> {
  query = command.query;
  const first = sockets.length;
  let next = 0;
  const opener = async (): Promise<void> => {
    while (next < command.count) {
      const index = first + next;
      next += 1;
      const socket = await connect(command.url, command.keys[index % command.keys.length]);
      sockets.push(socket);
      if (command.subscribe) subscribe(socket);
      else unsubscribed.push(socket);
    }
  };
  await Promise.all(Array.from({ length: Math.min(OPENING_AT_ONCE, command.count) }, opener));
  return sockets.length;
}

process.on('message', (command: SubscribersCommand) => {
  const answer = async (): Promise<SubscribersAnswer> => {
    if ('open' in command) return { opened: await open(command.open) };
    if ('subscribe' in command) {
      for (const socket of unsubscribed) subscribe(socket);
      unsubscribed = [];
      return { subscribed: sockets.length };
    }
    if ('delivered' in command) return { delivered };
    const collected = Object.fromEntries(receipts);
    receipts = new Map();
    return { receipts: collected };
  };
  answer().then(
    (message) => process.send?.(message),
    (error: unknown) => process.send?.({ failed: error instanceof Error ? error.message : String(error) }),
  );
});
process.once('disconnect', () => {
  for (const socket of sockets) socket.terminate();
  process.exit(0);
});
