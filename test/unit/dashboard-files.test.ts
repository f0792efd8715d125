import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { acceptsGzip, findDashboardBuild, loadDashboardFiles } from '../../src/transport/dashboard-files';

describe("the dashboard's built files", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zoomgw-dashboard-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are held by URL path, with their type, gzip form and whether their name pins their content', () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-Bme3jAw5.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'index-Bme3jAw5.woff3'), 'x');
    const files = loadDashboardFiles(dir);
    expect([...files.keys()].sort()).toEqual(['assets/index-Bme3jAw5.js', 'assets/index-Bme3jAw5.woff3', 'index.html']);
    expect(files.get('index.html')).toMatchObject({ contentType: 'text/html; charset=utf-8', immutable: false });
    expect(files.get('assets/index-Bme3jAw5.js')).toMatchObject({ contentType: 'text/javascript; charset=utf-8', immutable: true });
    expect(files.get('assets/index-Bme3jAw5.woff3')?.contentType).toBe('application/octet-stream');
    const script = files.get('assets/index-Bme3jAw5.js');
    expect(gunzipSync(script?.gzipped() ?? Buffer.alloc(0)).toString()).toBe('console.log(1)');
    expect(script?.gzipped()).toBe(script?.gzipped());
  });

  it('are found in dashboard/dist beside the sources, and only once built', () => {
    const nested = join(dir, 'dist', 'src', 'http');
    mkdirSync(nested, { recursive: true });
    mkdirSync(join(dir, 'dashboard', 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dashboard', 'package.json'), '{}');
    expect(findDashboardBuild(nested)).toBeUndefined();
    writeFileSync(join(dir, 'dashboard', 'dist', 'index.html'), '');
    expect(findDashboardBuild(nested)).toBe(join(dir, 'dashboard', 'dist'));
    expect(findDashboardBuild(join(dir, 'src', 'http'))).toBe(join(dir, 'dashboard', 'dist'));
  });
});

describe('Accept-Encoding', () => {
  it.each([
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['gzip;q=0', false],
    ['gzip;q=0.000', false],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['br, *;q=0.1', true],
    ['identity', false],
    [undefined, false],
  ])('%j takes gzip: %s', (header, taken) => {
    expect(acceptsGzip(header)).toBe(taken);
  });
});
