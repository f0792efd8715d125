/** `npm run simulator`: a fake Zoom for local runs of the gateway. */
import { parseSimulatorArgs } from './cli-args';
import { startSimulator } from './simulator';

async function main(): Promise<void> {
  const { options, port, host } = parseSimulatorArgs(process.argv.slice(2));
  // Its composition root: the machine's clock, chosen here.
  const simulator = await startSimulator({ ...options, now: Date.now }, port, host);
  console.log(
    `Zoom simulator listening at ${simulator.baseUrl} (api key ${options.apiKey}, JWT secret ${options.apiSecret})`,
  );
  const stop = () => {
    void simulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
