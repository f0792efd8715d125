import { Stack, startStack } from '../harness';

interface Readiness {
  readonly status: number;
  readonly body: { status: string; zoom: { auth: { status: string; reason?: string; since?: string } } };
}

async function readyz(stack: Stack): Promise<Readiness> {
  const response = await fetch(stack.url.replace(/\/graphql$/, '/readyz'));
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

const QUERY = '{ sessions(type: PAST, first: 1) { nodes { id } } }';

describe('/readyz and the credentials Zoom refuses', () => {
  it('a wrong secret: ready at start, then 503 with the reason once Zoom has answered 401, at no extra Zoom call', async () => {
    const stack = await startStack({ env: { ZOOM_VIDEOSDK_API_SECRET: 'not-the-secret-the-simulator-knows-0123456789abcdef' } });
    try {
      expect(await readyz(stack)).toMatchObject({ status: 200, body: { status: 'ready', zoom: { auth: { status: 'ok' } } } });
      const answer = await stack.post({ query: QUERY });
      expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['ZOOM_AUTH_FAILED']);
      const calls = stack.zoom.calls();
      const after = await readyz(stack);
      expect(after.status).toBe(503);
      expect(after.body.status).toBe('zoom_auth_failing');
      expect(after.body.zoom.auth.status).toBe('failing');
      expect(after.body.zoom.auth.reason).toMatch(/HTTP 401 \(Zoom code 124: invalid access token\).*ZOOM_VIDEOSDK_API_SECRET/);
      expect(after.body.zoom.auth.since).toBe(new Date(Date.parse(after.body.zoom.auth.since!)).toISOString());
      // Finding out cost nothing: /readyz itself never calls Zoom.
      expect(stack.zoom.calls()).toBe(calls);
    } finally {
      await stack.close();
    }
  });

  it('the right secret: ready before and after a query', async () => {
    const stack = await startStack();
    try {
      expect((await readyz(stack)).status).toBe(200);
      const answer = await stack.post({ query: QUERY });
      expect(answer.body.errors).toBeUndefined();
      expect(await readyz(stack)).toMatchObject({ status: 200, body: { status: 'ready', zoom: { auth: { status: 'ok' } } } });
    } finally {
      await stack.close();
    }
  });
});
