import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { ZoomEndpoint, createGateway } from './server';
import { startSimulator } from './simulator/simulator';

/** How long in-flight requests get to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  let zoom: ZoomEndpoint;
  let stopSimulator = async (): Promise<void> => {};
  if (config.zoom.kind === 'simulator') {
    // Fresh credentials per start: the simulator only ever talks to this process.
    const apiKey = `simulator-${randomBytes(6).toString('hex')}`;
    const apiSecret = randomBytes(32).toString('hex');
    const simulator = await startSimulator({ apiKey, apiSecret });
    zoom = { baseUrl: simulator.baseUrl, apiKey, apiSecret };
    stopSimulator = () => simulator.close();
    logger.warn(`No Zoom credentials set (ZOOM_VIDEOSDK_API_KEY, ZOOM_VIDEOSDK_API_SECRET): serving SIMULATED data from the built-in Zoom simulator at ${simulator.baseUrl}`);
  } else {
    zoom = config.zoom;
  }
  const gateway = await createGateway({ config, zoom, logger });
  await gateway.app.listen({ host: config.host, port: config.port });
  const address = gateway.app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.info(`Zoom sessions gateway ready at http://localhost:${port}/graphql`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: finishing in-flight requests`);
    const forced = setTimeout(() => {
      logger.error(`shutdown took longer than ${SHUTDOWN_GRACE_MS} ms: exiting`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    forced.unref();
    gateway
      .close()
      .then(stopSimulator)
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
