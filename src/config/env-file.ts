/**
 * `npm start` reads `.env` when there is one. Node's `--env-file` cannot do it: it fails when the
 * file is absent, and most deployments have none.
 */

import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import type { Env } from './parse';

/** The file's settings under the environment's: a variable set in both keeps the environment's value. */
export function withEnvFile(env: Env, path: string): Env {
  if (!existsSync(path)) return env;
  return { ...parseEnv(readFileSync(path, 'utf8')), ...env };
}
