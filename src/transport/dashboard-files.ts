import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One built file of the dashboard, held in memory. */
export interface DashboardFile {
  readonly body: Buffer;
  /** Compressed on first use: most gateways (every test's) never serve the dashboard. */
  gzipped(): Buffer;
  readonly contentType: string;
  /** Vite names assets by content hash: they never change under the same URL. */
  readonly immutable: boolean;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** A build is a few hundred KB; anything far larger is not a dashboard build and is not loaded. */
export const MAX_DASHBOARD_BYTES = 16 * 1024 * 1024;

/** `dashboard/dist` of the repository this file is part of (src/transport or dist/src/transport), if built. */
export function findDashboardBuild(from: string = __dirname): string | undefined {
  for (let dir = from, depth = 0; depth < 5; dir = dirname(dir), depth += 1) {
    if (existsSync(join(dir, 'dashboard', 'package.json'))) {
      const build = join(dir, 'dashboard', 'dist');
      return existsSync(join(build, 'index.html')) ? build : undefined;
    }
  }
  return undefined;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Every file of a build, by its URL path under the dashboard (`index.html`, `assets/…`). Read once
 * at start-up: requests are served from this map, so no request path ever reaches the file system.
 */
export function loadDashboardFiles(dir: string): ReadonlyMap<string, DashboardFile> {
  const files = new Map<string, DashboardFile>();
  let total = 0;
  for (const path of filesUnder(dir)) {
    const body = readFileSync(path);
    total += body.length;
    if (total > MAX_DASHBOARD_BYTES) throw new Error(`The dashboard build in ${dir} is larger than ${MAX_DASHBOARD_BYTES} bytes.`);
    const urlPath = relative(dir, path).split(sep).join('/');
    let gzipped: Buffer | undefined;
    files.set(urlPath, {
      body,
      gzipped: () => (gzipped ??= gzipSync(body)),
      contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      immutable: urlPath.startsWith('assets/'),
    });
  }
  return files;
}

/** Whether an Accept-Encoding takes gzip: named (or `*`, when gzip is not named) with a weight above 0 (RFC 9110 §12.5.3). */
export function acceptsGzip(header: string | undefined): boolean {
  let anyEncoding = false;
  for (const entry of (header ?? '').split(',')) {
    const [name, ...parameters] = entry.toLowerCase().split(';').map((part) => part.trim());
    const weight = parameters.find((parameter) => parameter.startsWith('q='));
    const taken = weight === undefined || Number(weight.slice(2)) > 0;
    if (name === 'gzip' || name === 'x-gzip') return taken;
    if (name === '*') anyEncoding = taken;
  }
  return anyEncoding;
}
