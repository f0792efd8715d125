import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

/** Starts the real entry point in `cwd` and returns what it printed when it refused to start. */
async function refusal(cwd: string, env: Record<string, string>): Promise<string> {
  const args = ['--tsconfig', join(root, 'tsconfig.json'), join(root, 'src', 'main.ts')];
  const failure = await run(join(root, 'node_modules', '.bin', 'tsx'), args, { cwd, env: { PATH: process.env.PATH ?? '', ...env } }).catch(
    (error: { code: number; stderr: string }) => error,
  );
  expect(failure).toMatchObject({ code: 1 });
  return (failure as { stderr: string }).stderr;
}

describe('the .env file of the working directory', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-dotenv-'));
    // Settings that refuse to start, so the test never leaves a server behind.
    writeFileSync(join(dir, '.env'), 'PORT=eighty\nSESSIONS_MAX_FIRST=0\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is read at start-up', async () => {
    const stderr = await refusal(dir, {});
    expect(stderr).toContain('PORT must be a whole number from 0 to 65535; got "eighty".');
    expect(stderr).toContain('SESSIONS_MAX_FIRST must be a whole number from 1 to 10000; got "0".');
  }, 60_000);

  it('gives way to the real environment', async () => {
    const stderr = await refusal(dir, { PORT: 'ninety' });
    expect(stderr).toContain('PORT must be a whole number from 0 to 65535; got "ninety".');
    expect(stderr).not.toContain('eighty');
  }, 60_000);
});
