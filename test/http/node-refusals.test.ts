import { Stack, startStack } from '../harness';
import { RawClient } from '../raw-socket';

/** Refusals Node and fastify make before any route runs answer in the documented GraphQL error shape. */
describe('refusals made by Node and fastify themselves', () => {
  let stack: Stack;
  let port: number;
  beforeAll(async () => {
    stack = await startStack();
    port = Number(new URL(stack.url).port);
  });
  afterAll(() => stack.close());

  async function answerTo(raw: string): Promise<ReturnType<RawClient['response']>> {
    const client = new RawClient(port);
    client.write(raw);
    await new Promise<void>((resolve) => {
      const check = (): void => (/\r\n\r\n.*\}$/s.test(client.received()) ? resolve() : void setTimeout(check, 5));
      check();
    });
    client.close();
    return client.response();
  }

  const shape = (code: string) => ({ errors: [{ message: expect.any(String), extensions: { code } }] });

  it.each([
    ['a header past 16 KB', 431, 'HEADERS_TOO_LARGE', `GET /graphql HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
    ['a URL past 16 KB', 431, 'HEADERS_TOO_LARGE', `GET /graphql?query=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['a Content-Length that is not a number', 400, 'BAD_REQUEST', 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'],
    ['both Content-Length and chunked', 400, 'BAD_REQUEST', 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['a request line that is not HTTP', 400, 'BAD_REQUEST', 'HELLO\r\n\r\n'],
    ['a URL with a broken percent escape', 400, 'BAD_REQUEST', 'GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n'],
  ])('answers %s with %i and code %s', async (_name, status, code, raw) => {
    expect(await answerTo(raw)).toEqual({ status, body: shape(code) });
    expect(stack.zoom.calls()).toBe(0);
  });
});
