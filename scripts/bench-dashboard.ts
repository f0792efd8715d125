import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { findDashboardBuild } from '../src/transport/dashboard-files';
import { createGateway } from '../src/server';
import { startSimulator } from '../src/simulator/simulator';
import { startBrowser } from '../test/services/browser';
import { runAsScript } from './bench/run-main';
import { percentile } from './bench/percentile';

/**
 * Time to first render of the dashboard's sessions page in Debian's Chromium, against a gateway and
 * its simulator on loopback, beside the same browser navigating to /healthz (no script) as the
 * baseline. The first visit has every cache cold (browser, gateway, simulator); later ones are warm.
 */
const ROUNDS = 15;
const MONTH = { from: '2026-10-01', to: '2026-10-31' };
const FIRST_RENDER_MARK = 'dashboard:sessions-first-render';

export async function benchDashboard(): Promise<string> {
  if (findDashboardBuild() === undefined) throw new Error('The dashboard is not built: run npm run build first.');
  const offset = Date.parse('2026-11-27T12:00:00Z') - Date.now();
  const now = () => Date.now() + offset;
  const zoom = await startSimulator({ apiKey: 'bench-key', apiSecret: 'bench-secret', now });
  const config = loadConfig({ ZOOM_VIDEOSDK_API_KEY: 'bench-key', ZOOM_VIDEOSDK_API_SECRET: 'bench-secret', ZOOM_API_BASE_URL: zoom.baseUrl, LOG_LEVEL: 'silent', NODE_ENV: 'test', DASHBOARD: 'true' });
  if (config.zoom.kind !== 'zoom') throw new Error('bench needs the simulator credentials');
  const gateway = await createGateway({ config, zoom: config.zoom, logger: pino({ level: 'silent' }), now });
  const { port } = await gateway.listen('127.0.0.1', 0);
  const origin = `http://127.0.0.1:${port}`;
  const browser = await startBrowser();
  const renders: number[] = [];
  const baselines: number[] = [];
  let scriptTransfer = 0;
  try {
    const page = await browser.context.newPage();
    for (let round = 0; round < ROUNDS; round += 1) {
      await page.goto(`${origin}/healthz`);
      // Expressions, not functions: this file compiles without the DOM's types.
      baselines.push(Number(await page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd")));
      await page.goto(`${origin}/dashboard/#/sessions?from=${MONTH.from}&to=${MONTH.to}&type=PAST`);
      await page.locator('[data-testid=session-row]').first().waitFor();
      renders.push(Number(await page.evaluate(`performance.getEntriesByName('${FIRST_RENDER_MARK}')[0]?.startTime`)));
      if (round === 0) {
        scriptTransfer = Number(await page.evaluate("performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('.js')).reduce((sum, entry) => sum + entry.transferSize, 0)"));
      }
    }
    if (browser.blocked.length > 0) throw new Error(`The dashboard asked for other hosts: ${browser.blocked.join(', ')}`);
  } finally {
    await browser.close();
    await gateway.close();
    await zoom.close();
  }
  const baseline = percentile(baselines.slice(1), 50);
  const warm = renders.slice(1);
  const row = (name: string, ms: number) => `| ${name} | ${ms.toFixed(0)} | ${(ms / baseline).toFixed(1)}x |`;
  return [
    `Sessions page of the dashboard in Chromium (${ROUNDS} visits, one tab; a page of 25 sessions of a past month). Baseline: navigating to \`/healthz\`, p50 ${baseline.toFixed(1)} ms.`,
    '',
    '| first render of the sessions page | ms | vs baseline |',
    '|---|---|---|',
    row('first visit (browser, gateway and simulator cold)', renders[0]),
    row(`later visits, p50 of ${warm.length}`, percentile(warm, 50)),
    row(`later visits, max`, Math.max(...warm)),
    '',
    `JavaScript over the wire on the first visit: ${(scriptTransfer / 1024).toFixed(0)} KB (gzip). Zoom calls: ${zoom.calls()}.`,
  ].join('\n');
}

if (require.main === module) runAsScript(() => benchDashboard());
