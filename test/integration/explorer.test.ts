import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack, startStack } from '../harness';

const root = join(__dirname, '..', '..');
const html = { accept: 'text/html' };

describe('the GraphiQL explorer (GRAPHQL_EXPLORER=graphiql, the default outside production)', () => {
  let stack: Stack;
  let origin: string;
  beforeAll(async () => {
    stack = await startStack();
    origin = new URL(stack.url).origin;
  });
  afterAll(() => stack.close());

  it('serves a page at /graphql that loads only files of this gateway, with a policy that keeps it so', async () => {
    const response = await fetch(stack.url, { headers: html });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'; .*connect-src 'self'/);
    const page = await response.text();
    const urls = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(urls).toEqual([
      'data:,',
      'explorer/graphiql.min.css',
      'explorer/page.css',
      'explorer/react.production.min.js',
      'explorer/react-dom.production.min.js',
      'explorer/graphiql.min.js',
      'explorer/start.js',
    ]);
    expect(page).not.toMatch(/<script>|https?:\/\//);
  });

  it('serves GraphiQL\'s and React\'s files from node_modules, byte for byte, without a credential', async () => {
    const files: [string, string, string][] = [
      ['graphiql.min.js', 'node_modules/graphiql/graphiql.min.js', 'text/javascript; charset=utf-8'],
      ['graphiql.min.css', 'node_modules/graphiql/graphiql.min.css', 'text/css; charset=utf-8'],
      ['react.production.min.js', 'node_modules/react/umd/react.production.min.js', 'text/javascript; charset=utf-8'],
      ['react-dom.production.min.js', 'node_modules/react-dom/umd/react-dom.production.min.js', 'text/javascript; charset=utf-8'],
    ];
    for (const [name, path, type] of files) {
      const file = readFileSync(join(root, path));
      const plain = await fetch(`${origin}/explorer/${name}`, { headers: { 'accept-encoding': 'identity' } });
      expect([name, plain.status, plain.headers.get('content-type'), plain.headers.get('content-encoding')]).toEqual([name, 200, type, null]);
      expect(Buffer.from(await plain.arrayBuffer()).equals(file)).toBe(true);
      // fetch asks for gzip and unpacks it: the bytes that arrive are the file's, in fewer bytes on the wire.
      const packed = await fetch(`${origin}/explorer/${name}`);
      expect([name, packed.headers.get('content-encoding'), packed.headers.get('vary')]).toEqual([name, 'gzip', 'accept-encoding']);
      expect(Buffer.from(await packed.arrayBuffer()).equals(file)).toBe(true);
    }
  });

  it('serves nothing else under /explorer/: no path reaches the file system', async () => {
    for (const path of ['../package.json', '..%2Fpackage.json', 'index.js', '%2e%2e%2f%2e%2e%2fpackage.json', 'graphiql.min.js.map']) {
      const response = await fetch(`${origin}/explorer/${path}`);
      expect([path, response.status]).toEqual([path, 404]);
      expect((await response.json()) as unknown).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    }
  });
});

describe('the explorer\'s packages', () => {
  it('ship the files it serves in their tarballs: no install script has to build them, which npm 11 may skip', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; hasInstallScript?: boolean }> };
    for (const name of ['graphiql', 'react', 'react-dom']) {
      const entry = lock.packages[`node_modules/${name}`];
      expect([name, entry?.hasInstallScript ?? false]).toEqual([name, false]);
    }
    // GraphiQL 4's UMD build runs on React 18's UMD builds; React 19 ships none.
    expect(lock.packages['node_modules/react'].version).toMatch(/^18\./);
    expect(lock.packages['node_modules/graphiql'].version).toMatch(/^4\./);
  });
});

describe('GRAPHQL_EXPLORER=off', () => {
  it('serves no explorer page and no explorer files', async () => {
    const stack = await startStack({ env: { GRAPHQL_EXPLORER: 'off' } });
    try {
      const page = await fetch(stack.url, { headers: html });
      expect(page.status).toBeGreaterThanOrEqual(400);
      expect(await page.text()).not.toMatch(/graphiql|sandbox/i);
      expect((await fetch(`${new URL(stack.url).origin}/explorer/graphiql.min.js`)).status).toBe(404);
    } finally {
      await stack.close();
    }
  });
});
