import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { createGateway } from '../../src/server';
import { startSimulator } from '../../src/simulator/simulator';

/**
 * Child-process entry for the live bench: the simulator and a gateway with webhooks, alone in
 * their process so that its memory is the gateway's, not the subscribers'. Answers `memory`
 * messages with its heap and RSS after a full GC.
 */
export const LIVE_BENCH_SECRET = 'live-bench-webhook-secret-token';
/**
 * Ten clients of a thousand subscribers each: every cap at its default (a client's sockets and
 * subscriptions at SUBSCRIPTIONS_MAX_PER_CLIENT, places in all at SUBSCRIPTIONS_MAX_CONNECTIONS),
 * so ten thousand subscribers fit exactly as a deployment would hold them.
 */
export const LIVE_BENCH_KEYS = Array.from({ length: 10 }, (_, n) => `live-bench-subscriber-key-${n}`);

async function start(): Promise<void> {
  const zoom = await startSimulator({ apiKey: 'bench-key', apiSecret: 'bench-secret', sessions: [] });
  const config = loadConfig({
    ZOOM_VIDEOSDK_API_KEY: 'bench-key',
    ZOOM_VIDEOSDK_API_SECRET: 'bench-secret',
    ZOOM_API_BASE_URL: zoom.baseUrl,
    ZOOM_WEBHOOK_SECRET_TOKEN: LIVE_BENCH_SECRET,
    GATEWAY_API_KEYS: LIVE_BENCH_KEYS.join(','),
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
  });
  if (config.zoom.kind !== 'zoom') throw new Error('the live bench needs the simulator credentials');
  const gateway = await createGateway({ config, zoom: config.zoom, logger: pino({ level: 'silent' }), now: Date.now });
  const { port } = await gateway.listen('127.0.0.1', 0);
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (message: { memory?: true }) => {
    if (!message.memory) return;
    gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    process.send?.({ heapUsed, rss, subscribers: gateway.core.live.subscriberCount });
  });
  process.send?.({ ready: `http://127.0.0.1:${port}` });
  process.once('disconnect', () => {
    void gateway.close().then(() => zoom.close()).then(() => process.exit(0));
  });
}

if (require.main === module) {
  start().catch((error: unknown) => {
    process.send?.({ failed: error instanceof Error ? error.stack ?? error.message : String(error) });
    process.exit(1);
  });
}
