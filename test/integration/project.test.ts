import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildGatewaySchema, printGatewaySchema } from '../../src/schema';
import { Stack, startStack } from '../harness';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

describe('the project around the gateway', () => {
  it('commits schema.graphql exactly as the type-graphql classes emit it', async () => {
    const committed = readFileSync(join(root, 'schema.graphql'), 'utf8');
    expect(printGatewaySchema(await buildGatewaySchema())).toBe(committed);
  });

  it('commits the typed operations exactly as codegen generates them', async () => {
    await expect(run(join(root, 'node_modules', '.bin', 'graphql-codegen'), ['--config', 'codegen.yml', '--check'], { cwd: root })).resolves.toBeDefined();
  }, 60_000);

  it('refuses to start on bad configuration, with one message listing every problem', async () => {
    const env = { PATH: process.env.PATH, ZOOM_VIDEOSDK_API_KEY: 'key', PORT: 'x' };
    const failure = await run(join(root, 'node_modules', '.bin', 'tsx'), ['src/main.ts'], { cwd: root, env }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    const stderr = (failure as { stderr: string }).stderr;
    expect(stderr).toContain('Invalid configuration:');
    expect(stderr).toContain('PORT must be a whole number');
    expect(stderr).toContain('ZOOM_VIDEOSDK_API_KEY is set but ZOOM_VIDEOSDK_API_SECRET is not');
    expect(stderr).not.toMatch(/\bat .+:\d+:\d+/);
  }, 60_000);
});

describe('Apollo Sandbox', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { GRAPHQL_EXPLORER: 'sandbox' } });
  });
  afterAll(() => stack.close());

  it('serves the Sandbox landing page at /graphql to a browser with GRAPHQL_EXPLORER=sandbox', async () => {
    const response = await fetch(stack.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/Apollo|sandbox/i);
  });

  it('answers introspection for exploring the schema', async () => {
    const answer = await stack.post({ query: '{ __type(name: "SessionConnection") { fields { name } } }' });
    expect(answer.body.data).toEqual({ __type: { fields: [{ name: 'edges' }, { name: 'nodes' }, { name: 'pageInfo' }] } });
  });
});
