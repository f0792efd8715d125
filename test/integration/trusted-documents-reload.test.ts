import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { GatewayProcess, gatewayPid, startGatewayProcess } from '../services/gateway-process';

/**
 * A team rolling trusted documents out adds its new operations to its manifest and sends the
 * gateway SIGHUP, as it does to rotate API keys: no restart. A gateway process, a real signal.
 */

const API_KEY = 'reload-api-key';
const API_SECRET = 'reload-api-secret-0123456789abcdef';
const FIRST = 'query First { sessions(type: PAST, first: 1) { nodes { id } } }';
const ADDED = 'query Added { sessions(type: PAST, first: 2) { nodes { id } } }';
const idOf = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

interface Answer {
  data?: unknown;
  errors?: { extensions?: { code?: string } }[];
}

async function post(gateway: GatewayProcess, body: unknown): Promise<Answer> {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as Answer;
}

const codeOf = (answer: Answer): string | undefined => answer.errors?.[0]?.extensions?.code;

async function logged(gateway: GatewayProcess, text: string, times: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (gateway.output().split(text).length - 1 < times) {
    if (Date.now() > deadline) throw new Error(`"${text}" was not logged ${times} times:\n${gateway.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('trusted documents reloaded on SIGHUP', () => {
  let dir: string;
  let zoom: ZoomSimulator;
  let gateway: GatewayProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-reload-'));
    writeFileSync(join(dir, 'team.json'), JSON.stringify({ [idOf(FIRST)]: FIRST }));
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET });
    gateway = await startGatewayProcess({
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', GATEWAY_AUTH: 'off',
      ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
      TRUSTED_DOCUMENTS: 'enforce', TRUSTED_DOCUMENTS_FILE: join(dir, 'team.json'),
    });
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await zoom?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trusts what the manifest holds after the signal, and keeps the previous manifests when the new file is broken', async () => {
    expect((await post(gateway, { documentId: idOf(FIRST) })).errors).toBeUndefined();
    expect(codeOf(await post(gateway, { documentId: idOf(ADDED) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(codeOf(await post(gateway, { query: ADDED }))).toBe('DOCUMENT_NOT_TRUSTED');

    writeFileSync(join(dir, 'team.json'), JSON.stringify({ [idOf(FIRST)]: FIRST, [idOf(ADDED)]: ADDED }));
    process.kill(gatewayPid(gateway), 'SIGHUP');
    await logged(gateway, 'trusted documents reloaded', 1);
    expect((await post(gateway, { documentId: idOf(ADDED) })).errors).toBeUndefined();
    expect((await post(gateway, { query: ADDED })).errors).toBeUndefined();

    // An id that is not its text's hash: the whole file is refused, the manifests in force stay.
    writeFileSync(join(dir, 'team.json'), JSON.stringify({ [idOf(FIRST)]: ADDED }));
    process.kill(gatewayPid(gateway), 'SIGHUP');
    await logged(gateway, 'trusted documents could not be reloaded', 1);
    expect((await post(gateway, { documentId: idOf(ADDED) })).errors).toBeUndefined();
    expect((await post(gateway, { documentId: idOf(FIRST) })).errors).toBeUndefined();
  });
});
