import { Stack, startStack } from '../harness';
import { RawClient } from '../raw-socket';

const UPGRADE = 'Connection: Upgrade\r\nUpgrade: websocket\r\n';
const HANDSHAKE = 'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

/** Refusals Node and fastify make before any route runs answer in the documented GraphQL error shape. */
describe('refusals made by Node and fastify themselves', () => {
  let stack: Stack;
  let port: number;
  beforeAll(async () => {
    stack = await startStack();
    port = Number(new URL(stack.url).port);
  });
  afterAll(() => stack.close());

  it('serves an HTTP/1.0 request without Host, which that version allows', async () => {
    const client = new RawClient(port);
    client.write('GET /healthz HTTP/1.0\r\n\r\n');
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('reads and drops, for a moment after the refusal, the body of a request refused before reading it: one that ends in time leaves the connection open', async () => {
    for (const head of ['POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json; charset=latin1\r\n', 'PUT /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n']) {
      const client = new RawClient(port);
      client.write(`${head}Content-Length: 10\r\n\r\n`);
      await until(() => /\r\n\r\n\{.*\}$/s.test(client.received()));
      expect(client.response().status).toBeGreaterThanOrEqual(400);
      client.write('{"query":}GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      await until(() => client.received().includes('HTTP/1.1 200 '));
      client.close();
    }
  });

  it('closes the socket of a request refused before its body is read (no Host, a foreign charset), rather than drain a body of any size', async () => {
    for (const head of ['POST /graphql HTTP/1.1\r\n', 'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json; charset=latin1\r\n']) {
      const client = new RawClient(port);
      client.write(`${head}Content-Length: 20000000000\r\n\r\n{"query":`);
      await client.closed;
      expect(client.response().status).toBeGreaterThanOrEqual(400);
    }
  });

  it('says which method a handshake takes, and which versions it speaks', async () => {
    const post = new RawClient(port);
    post.write(`POST /graphql HTTP/1.1\r\nHost: localhost\r\n${UPGRADE}${HANDSHAKE}\r\n`);
    await post.closed;
    expect(post.received()).toMatch(/\r\nAllow: GET\r\n/);
    const old = new RawClient(port);
    old.write(`GET /graphql HTTP/1.1\r\nHost: localhost\r\n${UPGRADE}Sec-WebSocket-Version: 7\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
    await old.closed;
    expect(old.received()).toMatch(/\r\nSec-WebSocket-Version: 13, 8\r\n/);
  });

  it('takes a handshake written in absolute form', async () => {
    const client = new RawClient(port);
    client.write(`GET http://localhost/graphql HTTP/1.1\r\nHost: localhost\r\n${UPGRADE}${HANDSHAKE}Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`);
    await until(() => client.received().includes('\r\n\r\n'));
    expect(client.received()).toMatch(/^HTTP\/1\.1 101 /);
    client.close();
  });

  it('checks the subprotocol list itself, before the handshake may take a place (ws would refuse it only after)', async () => {
    const answer = await answerTo(`GET /graphql HTTP/1.1\r\nHost: localhost\r\n${UPGRADE}${HANDSHAKE}Sec-WebSocket-Protocol: a,,b\r\n\r\n`);
    expect(answer.body.errors?.[0].message).toBe('Not a WebSocket handshake: Sec-WebSocket-Protocol is not a list of distinct names.');
  });

  it('answers a CONNECT pipelined behind a request still being answered after that request\'s answer, in order', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const client = new RawClient(port);
    client.write(`POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n`);
    await client.closed;
    const statuses = [...client.received().matchAll(/^HTTP\/1\.1 (\d{3}) /gm)].map((match) => match[1]);
    expect(statuses).toEqual(['200', '405']);
    expect(client.received()).toContain('{"data":{"__typename":"Query"}}');
  });

  it('never switches a socket whose earlier request is still being answered (its answer would land inside the WebSocket): answers it, then refuses the handshake', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const client = new RawClient(port);
    client.write(`POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}GET /graphql HTTP/1.1\r\nHost: localhost\r\n${UPGRADE}${HANDSHAKE}Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`);
    await client.closed;
    expect(client.received()).not.toContain('101 Switching Protocols');
    const statuses = [...client.received().matchAll(/^HTTP\/1\.1 (\d{3}) /gm)].map((match) => match[1]);
    expect(statuses).toEqual(['200', '400']);
    expect(client.received()).toContain('it came pipelined behind another request');
  });

  it('leaves a client\'s bad WebSocket frame to ws (which closes with 1002) without graphql-ws\'s console.error and stack', async () => {
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const client = new RawClient(port);
      client.write(`GET /graphql HTTP/1.1\r\nHost: localhost\r\n${UPGRADE}${HANDSHAKE}Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\nhello`);
      await client.closed;
      expect(client.received()).toMatch(/^HTTP\/1\.1 101 /);
      // ws's close frame: opcode 0x88, then the status 1002 (0x03ea).
      expect(client.receivedBytes().includes(Buffer.from([0x88, 0x02, 0x03, 0xea]))).toBe(true);
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });

  async function answerTo(raw: string): Promise<ReturnType<RawClient['response']>> {
    return answerOn(port, raw);
  }

  const shape = (code: string) => ({ errors: [{ message: expect.any(String), extensions: { code } }] });

  it.each([
    ['a header past 16 KB', 431, 'HEADERS_TOO_LARGE', `GET /graphql HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
    ['a URL past 16 KB', 431, 'HEADERS_TOO_LARGE', `GET /graphql?query=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`],
    ['a Content-Length that is not a number', 400, 'BAD_REQUEST', 'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n'],
    ['both Content-Length and chunked', 400, 'BAD_REQUEST', 'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['a request line that is not HTTP', 400, 'BAD_REQUEST', 'HELLO\r\n\r\n'],
    ['a URL with a broken percent escape', 400, 'BAD_REQUEST', 'GET /%zz HTTP/1.1\r\nHost: localhost\r\n\r\n'],
    ['an HTTP/1.1 request without Host', 400, 'BAD_REQUEST', 'POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'],
    ['an Expect other than 100-continue', 417, 'EXPECTATION_FAILED', 'POST /graphql HTTP/1.1\r\nHost: localhost\r\nExpect: 200-ok\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'],
    ['an h2c upgrade', 400, 'BAD_REQUEST', 'GET /graphql HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n'],
    ['an h2c upgrade of another route', 400, 'BAD_REQUEST', 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n'],
    ['an HTTP/1.1 request with two Host headers', 400, 'BAD_REQUEST', 'GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'],
    ['a WebSocket handshake without Host', 400, 'BAD_REQUEST', `GET /graphql HTTP/1.1\r\n${UPGRADE}${HANDSHAKE}\r\n`],
    ['a WebSocket handshake of a version ws does not speak', 400, 'BAD_REQUEST', `GET /graphql HTTP/1.1\r\nHost: localhost\r\n${UPGRADE}Sec-WebSocket-Version: 7\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`],
    ['a WebSocket handshake with a malformed subprotocol list', 400, 'BAD_REQUEST', `GET /graphql HTTP/1.1\r\nHost: localhost\r\n${UPGRADE}${HANDSHAKE}Sec-WebSocket-Protocol: a,,b\r\n\r\n`],
    ['CONNECT', 405, 'METHOD_NOT_ALLOWED', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'],
    ['an HTTP/1.0 request with two Host headers', 400, 'BAD_REQUEST', 'GET /healthz HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n'],
    ['a WebSocket handshake to a path that resolves to /graphql only once its dot segments are removed', 404, 'NOT_FOUND', `GET /x/../graphql HTTP/1.1\r\nHost: localhost\r\n${UPGRADE}${HANDSHAKE}\r\n`],
    ['PUT /graphql', 405, 'METHOD_NOT_ALLOWED', 'PUT /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n'],
    ['DELETE /graphql/stream', 405, 'METHOD_NOT_ALLOWED', 'DELETE /graphql/stream HTTP/1.1\r\nHost: localhost\r\n\r\n'],
    ['TRACE /graphql', 405, 'METHOD_NOT_ALLOWED', 'TRACE /graphql HTTP/1.1\r\nHost: localhost\r\n\r\n'],
    ['QUERY /graphql', 405, 'METHOD_NOT_ALLOWED', 'QUERY /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'],
    ['a WebSocket handshake without its key', 400, 'BAD_REQUEST', `GET /graphql HTTP/1.1\r\nHost: localhost\r\n${UPGRADE}Sec-WebSocket-Version: 13\r\n\r\n`],
    ['a WebSocket handshake by POST', 405, 'METHOD_NOT_ALLOWED', `POST /graphql HTTP/1.1\r\nHost: localhost\r\n${UPGRADE}${HANDSHAKE}\r\n`],
    ['a WebSocket handshake elsewhere than /graphql', 404, 'NOT_FOUND', `GET /subscriptions HTTP/1.1\r\nHost: localhost\r\n${UPGRADE}${HANDSHAKE}\r\n`],
  ])('answers %s with %i and code %s', async (_name, status, code, raw) => {
    expect(await answerTo(raw)).toEqual({ status, body: shape(code) });
    expect(stack.zoom.calls()).toBe(0);
  });
});

describe('refusals made with CORS on', () => {
  let stack: Stack;
  let port: number;
  beforeAll(async () => {
    stack = await startStack({ env: { CORS_ORIGINS: 'https://app.example' } });
    port = Number(new URL(stack.url).port);
  });
  afterAll(() => stack.close());

  it.each([
    ['OPTIONS *', 400, 'BAD_REQUEST', 'OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n'],
    ['an OPTIONS that is no preflight', 400, 'BAD_REQUEST', 'OPTIONS /graphql HTTP/1.1\r\nHost: localhost\r\n\r\n'],
    ['a WebSocket handshake from a foreign origin', 403, 'FORBIDDEN', `GET /graphql HTTP/1.1\r\nHost: localhost\r\nOrigin: https://elsewhere.example\r\n${UPGRADE}${HANDSHAKE}\r\n`],
  ])('answers %s with %i and code %s', async (_name, status, code, raw) => {
    expect(await answerOn(port, raw)).toEqual({ status, body: { errors: [{ message: expect.any(String), extensions: { code } }] } });
  });

  it('still answers a preflight from an allowed origin', async () => {
    const response = await fetch(stack.url, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });
});

async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function answerOn(port: number, raw: string): Promise<ReturnType<RawClient['response']>> {
  const client = new RawClient(port);
  client.write(raw);
  await new Promise<void>((resolve) => {
    const check = (): void => (/\r\n\r\n.*\}$/s.test(client.received()) ? resolve() : void setTimeout(check, 5));
    check();
  });
  client.close();
  return client.response();
}
