import { DEFAULT_CALL_LOG_MAX } from '../../src/simulator/simulator';
import { listPath, startTestSimulator } from './sim-helpers';

describe('the call log', () => {
  it('keeps the most recent callLogMax calls while calls() counts every one', async () => {
    const t = await startTestSimulator({ callLogMax: 3 });
    try {
      for (let day = 1; day <= 8; day += 1) await t.get(listPath({ type: 'past', from: `2026-10-0${day}`, to: `2026-10-0${day}` }));
      expect(t.sim.calls()).toBe(8);
      expect(t.sim.callLog().map((call) => call.query.from)).toEqual(['2026-10-06', '2026-10-07', '2026-10-08']);
      t.sim.resetCalls();
      expect(t.sim.calls()).toBe(0);
      expect(t.sim.callLog()).toEqual([]);
    } finally {
      await t.sim.close();
    }
  });

  it('is bounded by default (npm start runs the simulator with the default)', () => {
    expect(DEFAULT_CALL_LOG_MAX).toBe(10_000);
  });
});
