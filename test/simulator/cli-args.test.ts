import { parseSimulatorArgs } from '../../src/simulator/cli-args';

describe('simulator CLI flags', () => {
  it('defaults to port 4010 and the local key and secret', () => {
    expect(parseSimulatorArgs([])).toEqual({
      port: 4010,
      host: '127.0.0.1',
      options: { apiKey: 'sim-api-key', apiSecret: 'sim-api-secret' },
    });
  });

  it('reads every flag, as `--flag value` or `--flag=value`', () => {
    const args = parseSimulatorArgs(['--port', '5000', '--api-key', 'K', '--api-secret=S', '--latency', '20', '--rate-limit', '10', '--seed', '7']);
    expect(args.port).toBe(5000);
    expect(args.options).toMatchObject({ apiKey: 'K', apiSecret: 'S', latencyMs: 20, rateLimitPerMinute: 10, seed: 7 });
  });

  it('refuses unknown flags and bad numbers', () => {
    expect(() => parseSimulatorArgs(['--verbose', 'yes'])).toThrow(/unknown option --verbose/);
    expect(() => parseSimulatorArgs(['--port', 'x'])).toThrow(/--port must be an integer/);
    expect(() => parseSimulatorArgs(['--port'])).toThrow(/needs a value/);
  });
});
