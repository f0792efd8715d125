import { SimulatorOptions } from './simulator';

export interface SimulatorArgs {
  options: SimulatorOptions;
  port: number;
  host: string;
}

/** Local defaults: nothing here is a real Zoom credential. */
export const SIMULATOR_DEFAULTS = { port: 4010, host: '127.0.0.1', apiKey: 'sim-api-key', apiSecret: 'sim-api-secret' };

export const SIMULATOR_USAGE =
  'usage: simulator [--port 4010] [--host 127.0.0.1] [--api-key K] [--api-secret S] [--seed 42] [--latency MS] [--rate-limit PER_MINUTE] [--max-page-size N]';

/** Flags, not env: only src/config/ reads process.env. Throws with the usage on anything it does not know. */
export function parseSimulatorArgs(argv: readonly string[]): SimulatorArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unexpected argument ${arg}\n${SIMULATOR_USAGE}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${match[1]} needs a value\n${SIMULATOR_USAGE}`);
    values.set(match[1], value);
  }

  const take = (name: string) => {
    const value = values.get(name);
    values.delete(name);
    return value;
  };
  const number = (name: string, min: number) => {
    const value = take(name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${name} must be an integer >= ${min}, got ${value}`);
    return parsed;
  };

  const port = number('port', 0) ?? SIMULATOR_DEFAULTS.port;
  const host = take('host') ?? SIMULATOR_DEFAULTS.host;
  const options: SimulatorOptions = {
    apiKey: take('api-key') ?? SIMULATOR_DEFAULTS.apiKey,
    apiSecret: take('api-secret') ?? SIMULATOR_DEFAULTS.apiSecret,
    seed: number('seed', 0),
    latencyMs: number('latency', 0),
    rateLimitPerMinute: number('rate-limit', 0),
    maxPageSize: number('max-page-size', 1),
  };
  const unknown = [...values.keys()];
  if (unknown.length > 0) throw new Error(`unknown option --${unknown[0]}\n${SIMULATOR_USAGE}`);
  return { options, port, host };
}
