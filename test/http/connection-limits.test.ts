import type { Socket } from 'node:net';
import { Stack, startStack } from '../harness';
import { RawClient, postRequest } from '../raw-socket';

/** Small limits keep the suite fast; the production defaults are in the README. */
const HEADERS_TIMEOUT_MS = 400;
const BODY_TIMEOUT_MS = 800;
/** Node checks deadlines on a timer: a tenth of the shorter limit here. */
const CHECK_INTERVAL_MS = 40;
/** Event-loop and scheduling slack on a loaded 2-core machine; still far under Node's 60 s and 30 s defaults. */
const SLACK_MS = 400;

const BIG_QUERY = JSON.stringify({
  query: 'query { sessions(type: PAST, from: "2026-10-28", to: "2026-11-27", first: 300) { nodes { id sessionName sessionKey startTime endTime duration userCount audioQuality videoQuality } } }',
});

function portOf(stack: Stack): number {
  return Number(new URL(stack.url).port);
}

/** The gateway's side of each open connection, by the client's port. */
const gatewaySockets = new Map<number, Socket>();

/** A client that does not read never sees its socket closed, so the gateway's side is watched. */
function openAtGateway(client: RawClient): boolean {
  return client.socket.localPort === undefined || gatewaySockets.has(client.socket.localPort);
}

async function acceptedByGateway(client: RawClient): Promise<void> {
  while (client.socket.localPort === undefined || !gatewaySockets.has(client.socket.localPort)) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function untilClosedByGateway(client: RawClient): Promise<void> {
  while (openAtGateway(client)) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('connection limits, tried with real slow and non-reading clients', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
        HTTP_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
        HTTP_SEND_STALL_TIMEOUT_MS: '300',
        HTTP_MAX_PIPELINED_REQUESTS: '8',
        HTTP_MAX_UNSENT_BYTES: '65536',
      },
    });
    stack.gateway.app.server.on('connection', (socket: Socket) => {
      const port = socket.remotePort ?? 0;
      gatewaySockets.set(port, socket);
      socket.once('close', () => gatewaySockets.delete(port));
    });
  });
  afterAll(() => stack.close());

  it('cuts headers that arrive slowly at HTTP_HEADERS_TIMEOUT_MS with 408 CLIENT_TIMEOUT in the GraphQL error shape', async () => {
    const client = new RawClient(portOf(stack));
    void client.trickle(`POST /graphql HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'a'.repeat(200)}`, 20);
    const ms = await client.closed;
    expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 5);
    expect(ms).toBeLessThan(HEADERS_TIMEOUT_MS + CHECK_INTERVAL_MS + SLACK_MS);
    expect(client.response()).toEqual({ status: 408, body: { errors: [{ message: expect.any(String), extensions: { code: 'CLIENT_TIMEOUT' } }] } });
  });

  it('cuts a body that arrives slowly at HTTP_BODY_TIMEOUT_MS, counted from the start of the request', async () => {
    const client = new RawClient(portOf(stack));
    const body = JSON.stringify({ query: `{ __typename } # ${'x'.repeat(500)}` });
    client.write(`POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    void client.trickle(body, 20);
    const ms = await client.closed;
    expect(ms).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 5);
    expect(ms).toBeLessThan(BODY_TIMEOUT_MS + CHECK_INTERVAL_MS + SLACK_MS);
    expect(client.response().status).toBe(408);
    expect(client.response().body.errors?.[0].extensions?.code).toBe('CLIENT_TIMEOUT');
  });

  it('closes a socket with more pipelined requests waiting than HTTP_MAX_PIPELINED_REQUESTS, and serves others meanwhile', async () => {
    const client = new RawClient(portOf(stack), { read: false });
    await acceptedByGateway(client);
    client.write(postRequest(portOf(stack), BIG_QUERY).repeat(40));
    await untilClosedByGateway(client);
    client.close();
    const other = await stack.post({ query: '{ __typename }' });
    expect(other.status).toBe(200);
  });

  it('closes a socket whose client stops reading its answers, after HTTP_SEND_STALL_TIMEOUT_MS without progress', async () => {
    const client = new RawClient(portOf(stack), { read: false });
    // Under the pipelining limit, but far more answer bytes than loopback's kernel buffers take.
    await acceptedByGateway(client);
    for (let round = 0; round < 100 && openAtGateway(client); round += 1) {
      client.write(postRequest(portOf(stack), BIG_QUERY).repeat(4));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await untilClosedByGateway(client);
    client.close();
  });

  it('still answers a pipelining client that reads, in order', async () => {
    const client = new RawClient(portOf(stack));
    const requests = [1, 2, 3].map((n) => postRequest(portOf(stack), JSON.stringify({ query: `{ n${n}: __typename }` }))).join('');
    client.write(requests);
    await new Promise<void>((resolve) => {
      const check = (): void => (/n3/.test(client.received()) ? resolve() : void setTimeout(check, 10));
      check();
    });
    const answers = client.received().match(/"n\d"/g);
    expect(answers).toEqual(['"n1"', '"n2"', '"n3"']);
    client.close();
  });
});
