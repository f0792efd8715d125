#!/usr/bin/env node
// `npm run build` (and so `npm start`): compiles the gateway and builds the dashboard, each only
// when one of its inputs is newer than its last build, so a second start does not wait on either.
// Every line the compilers print goes to stderr: in JSON log mode stdout carries nothing but the
// gateway's JSON log lines. `--force` rebuilds both.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const force = process.argv.includes('--force');

function newestMtime(path) {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => (name === 'node_modules' || name === 'dist' ? 0 : newestMtime(join(path, name)))));
}

/** True when `output` exists and is newer than every input. */
function isFresh(output, inputs) {
  const built = statSync(output, { throwIfNoEntry: false });
  return built !== undefined && built.mtimeMs >= Math.max(...inputs.map(newestMtime));
}

function run(command, args, cwd, env = process.env) {
  // stdout of the child is sent to our stderr (fd 2).
  const result = spawnSync(command, args, { cwd, env, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    process.stderr.write(`build: ${command} ${args.join(' ')} failed\n`);
    process.exit(result.status ?? 1);
  }
}

const bin = (name) => join(root, 'node_modules', '.bin', name);

// The gateway: a stamp written after a successful compile stands for the whole output. It compiles in
// the dashboard's trusted-documents manifest, which codegen writes beside the dashboard's sources.
const stamp = join(root, 'dist', '.build-stamp');
const gatewayInputs = ['src', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'dashboard/src/generated/persisted-documents.json'].map((name) => join(root, name));
if (force || !isFresh(stamp, gatewayInputs)) {
  run(bin('tsc'), ['-p', 'tsconfig.build.json'], root);
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

// The dashboard: Vite empties dashboard/dist on every build, so its index.html is the stamp.
const dashboard = join(root, 'dashboard');
const dashboardInputs = ['src', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'].map((name) => join(dashboard, name));
if (existsSync(join(dashboard, 'src')) && (force || !isFresh(join(dashboard, 'dist', 'index.html'), dashboardInputs))) {
  // NODE_ENV=test (jest) or development would make Vite bundle React's development build.
  run(bin('vite'), ['build', '--logLevel', 'warn'], dashboard, { ...process.env, NODE_ENV: 'production' });
}
