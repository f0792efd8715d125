import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { GRAPHIQL_HTML, GRAPHIQL_PAGE_CSS, GRAPHIQL_START_JS } from './graphiql-page';

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Where the page finds its files, relative to /graphql: `/explorer/<name>`. */
export const EXPLORER_ASSET_PATH = '/explorer/';

/**
 * Everything the page loads comes from here. GraphiQL 4's UMD build and CSS ship in its npm
 * package as they are (no install script builds them), and it runs on React 18's UMD builds,
 * which React 19 no longer ships: hence react and react-dom 18 among the dependencies.
 */
function packageFile(packageName: string, file: string): string {
  return join(dirname(require.resolve(`${packageName}/package.json`)), file);
}

const gzipped = promisify(gzip);

interface Asset {
  readonly type: string;
  readonly body: () => Buffer | string;
  /** GraphiQL's 1.5 MB of script and CSS is 0.6 MB gzipped: compressed once, off the event loop, on first use. */
  readonly gzipped: () => Promise<Buffer>;
}

function asset(type: string, read: () => Buffer | string): Asset {
  let body: Buffer | string | undefined;
  let compressed: Promise<Buffer> | undefined;
  const bodyOnce = () => (body ??= read());
  return { type, body: bodyOnce, gzipped: () => (compressed ??= gzipped(bodyOnce())) };
}

function fileAsset(type: string, path: string): Asset {
  if (!existsSync(path)) throw new Error(`GRAPHQL_EXPLORER=graphiql needs ${path}: run npm ci, or set GRAPHQL_EXPLORER=off.`);
  // Read on first use: most test gateways never serve the explorer, and 1.2 MB stays on disk until asked for.
  return asset(type, () => readFileSync(path));
}

function explorerAssets(): ReadonlyMap<string, Asset> {
  return new Map<string, Asset>([
    ['graphiql.min.js', fileAsset(JS, packageFile('graphiql', 'graphiql.min.js'))],
    ['graphiql.min.css', fileAsset(CSS, packageFile('graphiql', 'graphiql.min.css'))],
    ['react.production.min.js', fileAsset(JS, packageFile('react', 'umd/react.production.min.js'))],
    ['react-dom.production.min.js', fileAsset(JS, packageFile('react-dom', 'umd/react-dom.production.min.js'))],
    ['start.js', asset(JS, () => GRAPHIQL_START_JS)],
    ['page.css', asset(CSS, () => GRAPHIQL_PAGE_CSS)],
  ]);
}

/**
 * The page may load and call only this origin: scripts from files (none inline), styles from
 * files plus those GraphiQL sets on its elements, data: images and fonts of its CSS.
 */
const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function sendGraphiQLPage(reply: FastifyReply): FastifyReply {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('content-security-policy', PAGE_POLICY).header('x-content-type-options', 'nosniff').send(GRAPHIQL_HTML);
}

/** GET /explorer/<file>: a fixed list of files, looked up by name, never a path taken from the URL. */
export function registerGraphiQLAssets(app: FastifyInstance): void {
  const assets = explorerAssets();
  app.get<{ Params: { file: string } }>(`${EXPLORER_ASSET_PATH}:file`, async (request, reply) => {
    const found = assets.get(request.params.file);
    if (!found) return reply.callNotFound();
    void reply.type(found.type).header('cache-control', 'public, max-age=3600').header('x-content-type-options', 'nosniff').header('vary', 'accept-encoding');
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) return reply.header('content-encoding', 'gzip').send(await found.gzipped());
    return reply.send(found.body());
  });
}
