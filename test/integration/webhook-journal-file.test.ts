import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { postWebhook, sessionEvent, userEvent } from '../../src/simulator/webhooks';
import { simSession } from '../live/webhook-flood';
import { GatewayProcess, livePeople, startGatewayProcess, webhookUrl } from '../services/gateway-process';
import { TestRedis, startOwnRedis, uniqueKeyPrefix, until } from '../services/redis-server';

/**
 * Zoom never sends again an event answered 200. While Redis is away the gateway answers 200 for an event it keeps
 * in its journal; with WEBHOOK_JOURNAL_DIR that journal is on disk before the 200, so a gateway killed with kill -9
 * before Redis comes back (and Redis restarted empty) still applies it once it starts again.
 */

const SECRET = 'zoom-webhook-secret-token-for-the-journal-file';
const API_KEY = 'journal-file-api-key';
const API_SECRET = 'journal-file-api-secret-0123456789';

describe('a gateway killed while Redis is away, with its journal on disk', () => {
  let redis: TestRedis;
  let zoom: ZoomSimulator;
  let dir: string;
  const gateways: GatewayProcess[] = [];
  const session = simSession('journal/1+s==', Date.now() - 60_000);
  beforeAll(async () => {
    redis = await startOwnRedis();
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, sessions: [] });
    zoom.startLiveSession(session);
    dir = mkdtempSync(join(tmpdir(), 'zoomgw-journal-'));
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await zoom.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (journalDir: string) => ({
    PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', GATEWAY_AUTH: 'off',
    ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
    REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniqueKeyPrefix('journal-file'), REDIS_COMMAND_TIMEOUT_MS: '200',
    ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, WEBHOOK_JOURNAL_DIR: journalDir,
  });

  it('applies after its restart every join it acknowledged while Redis was away', async () => {
    const settings = env(dir);
    const doomed = await startGatewayProcess(settings);
    gateways.push(doomed);
    const at = Date.now();
    expect(await postWebhook(webhookUrl(doomed), SECRET, sessionEvent('session.started', session, at))).toBe(200);
    await redis.kill();
    const joined = ['Ada Outage', 'Grace Outage', 'Edsger Outage'];
    for (const [n, name] of joined.entries()) {
      const user = { id: `outage-${n}`, name, participant_uuid: `outage-uuid-${n}` };
      // Acknowledged: kept in the journal, Redis being away.
      expect(await postWebhook(webhookUrl(doomed), SECRET, userEvent('session.user_joined', session, user, at + 1_000 + n))).toBe(200);
    }
    await doomed.killHard();
    await redis.restart();
    const restarted = await startGatewayProcess(settings);
    gateways.push(restarted);
    await until(async () => {
      const names = await livePeople(restarted, session.id);
      return names !== undefined && joined.every((name) => names.includes(name));
    }, 20_000);
    expect(restarted.output()).toMatch(/"pending":3[,}].*journal|journal.*"pending":3[,}]/);
    // Taken by the state, they leave the file: it is empty again while Redis answers.
    await until(async () => readFileSync(join(dir, 'webhook-journal.jsonl'), 'utf8') === '', 10_000);
  }, 90_000);

  it('refuses to start beside a running gateway on the same directory, saying which', async () => {
    const shared = join(dir, 'shared');
    const settings = env(shared);
    const running = await startGatewayProcess(settings);
    gateways.push(running);
    await expect(startGatewayProcess(settings, 15_000)).rejects.toThrow(/exited with 1[^]*WEBHOOK_JOURNAL_DIR[^]*in use/);
  }, 60_000);
});
