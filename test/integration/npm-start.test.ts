import { ensureDashboardBuilt } from '../services/dashboard-build';
import { GatewayProcess, startGatewayProcess } from '../services/gateway-process';

/**
 * `npm start --silent` itself, as the README tells a log shipper to run it: npm, the build step, then the
 * gateway. Everything on stdout must be a JSON log line: the build step writes to stderr, and `--silent`
 * keeps npm's own `> package@version start` banner off stdout.
 */
describe('npm start --silent in JSON log mode', () => {
  let gateway: GatewayProcess | undefined;
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
  });

  it('writes nothing but JSON lines on stdout, first start (build) and second start alike', async () => {
    // The e2e tests serve dashboard/dist: build it through their lock, so this start does not rebuild it under them.
    await ensureDashboardBuilt();
    const env = { PORT: '0', LOG_FORMAT: 'json', NODE_ENV: 'development', HOME: process.env.HOME ?? '/tmp' };
    for (const start of ['first', 'second']) {
      gateway = await startGatewayProcess(env, 240_000, 'npm start --silent');
      const ready = await fetch(gateway.url.replace(/\/graphql$/, '/readyz'));
      expect(ready.status).toBe(200);
      await gateway.stop();
      const lines = gateway.stdout().split('\n').filter((line) => line !== '');
      const notJson = lines.filter((line) => {
        try {
          return typeof JSON.parse(line) !== 'object';
        } catch {
          return true;
        }
      });
      expect({ start, notJson }).toEqual({ start, notJson: [] });
      expect(lines.some((line) => line.includes('ready at'))).toBe(true);
    }
  }, 600_000);
});
