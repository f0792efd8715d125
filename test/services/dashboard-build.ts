import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
export const DASHBOARD_DIR = join(root, 'dashboard');
export const DASHBOARD_BUILD = join(DASHBOARD_DIR, 'dist');

function newestMtime(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export interface DashboardBuild {
  /** Whether this run built it (false: the build on disk was newer than every source). */
  readonly built: boolean;
  readonly ms: number;
}

/** Builds the dashboard unless dashboard/dist is newer than its sources: e2e tests serve the real build. */
export async function ensureDashboardBuilt(): Promise<DashboardBuild> {
  const index = join(DASHBOARD_BUILD, 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((name) => join(DASHBOARD_DIR, name));
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return { built: false, ms: 0 };
  const started = performance.now();
  // jest sets NODE_ENV=test, which would make Vite bundle React's development build.
  await run(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: DASHBOARD_DIR, env: { ...process.env, NODE_ENV: 'production' } });
  return { built: true, ms: Math.round(performance.now() - started) };
}
