import { runLiveFaultDrill } from '../services/live-fault-drill';

describe('three gateway processes on one Redis, Redis killed with kill -9 and restarted empty under a flow of webhooks and LIVE queries', () => {
  it('loses no acknowledged event, never answers LIVE with a partial list as complete, pushes no spurious event, and is whole again within one reconciliation', async () => {
    const report = await runLiveFaultDrill({ instances: 3, sessions: 60, rooms: 6, joinsPerSecond: 10, beforeMs: 1_500, outageMs: 3_000, afterMs: 2_000, wholeWithinMs: 15_000 });
    // The outage really took events: some were acknowledged while Redis was gone.
    expect(report.acknowledgedDuringOutage).toBeGreaterThan(0);
    expect(report.acknowledged).toBeGreaterThan(report.acknowledgedDuringOutage);
    expect(report.notAcknowledged).toBe(0);
    expect(report.lost).toBe(0);
    expect(report.polls).toBeGreaterThan(10);
    expect(report.partialAnswers).toBe(0);
    expect(report.spuriousStarts).toBe(0);
    expect(report.replayed).toBeGreaterThan(0);
    expect(report.repeatedJoins).toBe(0);
    // Every subscriber (one per instance) was shown every acknowledged join.
    expect(report.undelivered).toBe(0);
    // Whole again, within the drill's bound, long before the next scheduled reconciliation (300 s): the rebuild is at once.
    expect(report.wholeAfterMs).toBeGreaterThanOrEqual(0);
  }, 120_000);
});
