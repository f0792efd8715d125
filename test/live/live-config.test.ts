import { ConfigError, loadConfig } from '../../src/config';

describe('live settings', () => {
  it('defaults: no webhooks, reconcile every 300 s, poll every 30 s', () => {
    expect(loadConfig({}).live).toEqual({
      webhookSecretToken: undefined,
      reconcileMs: 300_000,
      pollMs: 30_000,
      webhookBodyLimitBytes: 65_536,
      subscriptionsPerConnection: 10,
      subscriptionsPerClient: 1_000,
      subscriberBufferEvents: 256,
      keepAliveMs: 12_000,
      maxConnections: 10_000,
    });
  });

  it('reads the secret token and the intervals', () => {
    const live = loadConfig({ ZOOM_WEBHOOK_SECRET_TOKEN: ' abc123 ', ZOOM_LIVE_RECONCILE_SECONDS: '60', ZOOM_LIVE_POLL_SECONDS: '5' }).live;
    expect([live.webhookSecretToken, live.reconcileMs, live.pollMs]).toEqual(['abc123', 60_000, 5_000]);
  });

  it('lists every bad live setting in one error', () => {
    let error: unknown;
    try {
      loadConfig({ ZOOM_LIVE_RECONCILE_SECONDS: '0', SUBSCRIPTION_BUFFER_EVENTS: 'many', WEBHOOK_BODY_LIMIT_BYTES: '10' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'ZOOM_LIVE_RECONCILE_SECONDS must be a whole number from 1 to 86400; got "0".',
      'WEBHOOK_BODY_LIMIT_BYTES must be a whole number from 1024 to 1048576; got "10".',
      'SUBSCRIPTION_BUFFER_EVENTS must be a whole number from 1 to 100000; got "many".',
    ]);
  });
});
