import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
export const DASHBOARD_DIR = join(root, 'dashboard');
export const DASHBOARD_BUILD = join(DASHBOARD_DIR, 'dist');
/** jest runs test files in parallel: one of them builds, the others wait for it. */
const LOCK = join(DASHBOARD_DIR, '.build-lock');
/** A lock older than this was left by a run that died mid-build. */
const STALE_LOCK_MS = 120_000;

function newestMtime(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function isFresh(): boolean {
  const index = join(DASHBOARD_BUILD, 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((name) => join(DASHBOARD_DIR, name));
  return existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime));
}

function takeLock(): boolean {
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    const lock = statSync(LOCK, { throwIfNoEntry: false });
    if (lock && Date.now() - lock.mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
    return false;
  }
}

export interface DashboardBuild {
  /** Whether this call built it (false: the build on disk was newer than every source). */
  readonly built: boolean;
  readonly ms: number;
}

/** Builds the dashboard unless dashboard/dist is newer than its sources: e2e tests serve the real build. */
export async function ensureDashboardBuilt(): Promise<DashboardBuild> {
  const started = performance.now();
  while (!isFresh()) {
    if (!takeLock()) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      if (isFresh()) break;
      // jest sets NODE_ENV=test, which would make Vite bundle React's development build.
      await run(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: DASHBOARD_DIR, env: { ...process.env, NODE_ENV: 'production' } });
      return { built: true, ms: Math.round(performance.now() - started) };
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
  return { built: false, ms: Math.round(performance.now() - started) };
}
