import { ensureDashboardBuilt } from '../services/dashboard-build';
import { GatewayProcess, Launcher, startGatewayProcess } from '../services/gateway-process';

/**
 * `npm start` itself: npm, the build step, then the gateway. Whenever the logs are JSON, everything on stdout
 * must be a JSON log line: the build step writes to stderr, and the project's `.npmrc` turns npm's JSON mode on
 * while LOG_FORMAT or NODE_ENV is set, which moves npm's `> package@version start` banner to stderr.
 */
describe('npm start in JSON log mode', () => {
  let gateway: GatewayProcess | undefined;
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
  });

  const HOME = process.env.HOME ?? '/tmp';
  const starts: ReadonlyArray<{ start: string; launcher: Launcher; env: Record<string, string> }> = [
    { start: 'first (builds), LOG_FORMAT=json', launcher: 'npm start', env: { PORT: '0', LOG_FORMAT: 'json', NODE_ENV: 'development', HOME } },
    {
      start: 'second, NODE_ENV=production',
      launcher: 'npm start',
      env: { PORT: '0', NODE_ENV: 'production', ZOOM_SIMULATOR: 'on', GATEWAY_AUTH: 'off', SHUTDOWN_DELAY_MS: '0', HOME },
    },
    { start: 'third, --silent', launcher: 'npm start --silent', env: { PORT: '0', LOG_FORMAT: 'json', NODE_ENV: 'development', HOME } },
  ];

  it('writes nothing but JSON lines on stdout, with or without --silent, first start (build) and later ones alike', async () => {
    // The e2e tests serve dashboard/dist: build it through their lock, so this start does not rebuild it under them.
    await ensureDashboardBuilt();
    for (const { start, launcher, env } of starts) {
      gateway = await startGatewayProcess(env, 240_000, launcher);
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
      // npm did print its banner: on stderr.
      if (launcher === 'npm start') expect(gateway.output()).toContain('> zoom-videosdk-graphql-gateway@');
    }
  }, 600_000);
});
