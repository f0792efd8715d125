import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, withEnvFile } from './config';
import { createLogger } from './logger';
import { ZoomEndpoint, createGateway } from './server';
import { LiveActivity, startLiveActivity } from './simulator/live-activity';
import { ZoomSimulator, startSimulator } from './simulator/simulator';
import type { Tracing } from './tracing/tracing';

async function main(): Promise<void> {
  // `.env` in the working directory, when present, under the real environment (README, Configuration).
  const loaded = loadConfig(withEnvFile(process.env, '.env'));
  // The simulator posts signed webhooks to this process: a made-up secret lets a newcomer see them work.
  const config =
    loaded.zoom.kind === 'simulator' && loaded.live.webhookSecretToken === undefined
      ? Object.freeze({ ...loaded, live: Object.freeze({ ...loaded.live, webhookSecretToken: randomBytes(24).toString('hex') }) })
      : loaded;
  const logger = createLogger(config.logLevel, config.http.logFormat);
  // The one place the machine's clock is chosen: everything below is given it.
  const now = Date.now;
  // Before anything is served: a span started earlier would belong to no trace. Without OTLP the SDK is never loaded.
  const tracing: Tracing | undefined = config.tracing === undefined ? undefined : (await import('./tracing/tracing')).startTracing(config.tracing, logger, now);
  let zoom: ZoomEndpoint;
  let stopSimulator = async (): Promise<void> => {};
  let simulated: ZoomSimulator | undefined;
  if (config.zoom.kind === 'simulator') {
    // Fresh credentials per start: the simulator only ever talks to this process.
    const apiKey = `simulator-${randomBytes(6).toString('hex')}`;
    const apiSecret = randomBytes(32).toString('hex');
    const simulator = await startSimulator({ apiKey, apiSecret, latencyMs: config.simulatorLatencyMs, now });
    zoom = { baseUrl: simulator.baseUrl, apiKey, apiSecret };
    simulated = simulator;
    stopSimulator = () => simulator.close();
    logger.warn(`No Zoom credentials set (ZOOM_VIDEOSDK_API_KEY, ZOOM_VIDEOSDK_API_SECRET): serving SIMULATED data from the built-in Zoom simulator at ${simulator.baseUrl}`);
  } else {
    zoom = config.zoom;
  }
  const gateway = await createGateway({ config, zoom, logger, now });
  const { port, metricsPort } = await gateway.listen(config.host, config.port);
  let activity: LiveActivity | undefined;
  if (simulated && config.live.webhookSecretToken !== undefined) {
    // Bound to every interface, the gateway is reached on loopback; bound to one address, there.
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
    activity = startLiveActivity({
      simulator: simulated,
      webhookUrl: `http://${host}:${port}/webhooks/zoom`,
      secretToken: config.live.webhookSecretToken,
      now,
      onError: (error) => logger.warn({ err: error }, 'simulated live activity could not post a webhook'),
      onSummary: (summary) => logger.info(summary, `simulated live activity: ${summary.started} sessions started, ${summary.ended} ended, ${summary.joined} joins, ${summary.left} leaves; ${summary.live} live now`),
    });
    logger.info('the simulator starts sessions every few minutes, people join and leave them, and each change is posted as a signed webhook: subscribe to sessionEvents on ws://localhost:%d/graphql (LOG_LEVEL=debug shows every webhook)', port);
  }
  if (config.auth.anonymous) {
    logger.warn('ANONYMOUS ACCESS: no GATEWAY_API_KEYS, GATEWAY_API_KEYS_FILE, GATEWAY_JWKS_URL or GATEWAY_JWT_SECRET is set, so anyone who reaches this port can query Zoom through it.');
  }
  if (metricsPort !== undefined) logger.info(`metrics at http://localhost:${metricsPort}/metrics`);
  logger.info(`Zoom sessions gateway ready at http://localhost:${port}/graphql`);
  if (config.http.dashboard) logger.info(`dashboard at http://localhost:${port}/dashboard`);
  process.on('SIGHUP', () => {
    gateway
      .reloadApiKeys()
      .then(({ keys, ended }) => logger.info({ endedSubscriptionConnections: ended }, `SIGHUP: API keys reloaded (${keys} keys)`))
      .catch((error: unknown) => logger.error({ err: error }, 'SIGHUP: API keys could not be reloaded; the previous keys stay'));
    if (config.trustedDocuments.files.length === 0) return;
    try {
      logger.info(`SIGHUP: trusted documents reloaded (${gateway.reloadTrustedDocuments()} documents)`);
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'SIGHUP: trusted documents could not be reloaded; the previous manifests stay');
    }
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: finishing in-flight requests`);
    gateway.markStopping();
    activity?.stop();
    const forced = setTimeout(() => {
      logger.error(`shutdown took longer than ${config.http.shutdownGraceMs} ms: exiting`);
      process.exit(1);
    }, config.http.shutdownGraceMs);
    forced.unref();
    new Promise((resolve) => setTimeout(resolve, config.http.shutdownDelayMs))
      .then(() => gateway.close())
      .then(stopSimulator)
      .then(() => tracing?.shutdown())
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  // A config error is a message for the operator, not a crash: print the list, no stack.
  process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
