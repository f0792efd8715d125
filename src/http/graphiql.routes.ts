import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

interface Asset {
  readonly type: string;
  readonly body: () => Buffer | string;
}

function fileAsset(type: string, path: string): Asset {
  if (!existsSync(path)) throw new Error(`GRAPHQL_EXPLORER=graphiql needs ${path}: run npm ci, or set GRAPHQL_EXPLORER=off.`);
  let body: Buffer | undefined;
  // Read on first use: most test gateways never serve the explorer, and 1.2 MB stays on disk until asked for.
  return { type, body: () => (body ??= readFileSync(path)) };
}

function explorerAssets(): ReadonlyMap<string, Asset> {
  return new Map<string, Asset>([
    ['graphiql.min.js', fileAsset(JS, packageFile('graphiql', 'graphiql.min.js'))],
    ['graphiql.min.css', fileAsset(CSS, packageFile('graphiql', 'graphiql.min.css'))],
    ['react.production.min.js', fileAsset(JS, packageFile('react', 'umd/react.production.min.js'))],
    ['react-dom.production.min.js', fileAsset(JS, packageFile('react-dom', 'umd/react-dom.production.min.js'))],
    ['start.js', { type: JS, body: () => GRAPHIQL_START_JS }],
    ['page.css', { type: CSS, body: () => GRAPHIQL_PAGE_CSS }],
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
    const asset = assets.get(request.params.file);
    if (!asset) return reply.callNotFound();
    return reply.type(asset.type).header('cache-control', 'public, max-age=3600').header('x-content-type-options', 'nosniff').send(asset.body());
  });
}
