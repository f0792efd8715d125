import { qosSeries } from '../../dashboard/src/qos-series';

describe("the Session page's QoS chart", () => {
  it('draws one line per direction that has values, with gaps where Zoom sent none', () => {
    const metrics = (latencyMs: number | null) => ({ __typename: 'QosMetrics' as const, latencyMs, jitterMs: 3, avgLossPercent: 0.1 });
    const samples = [
      { dateTime: '2026-11-27T10:00:00Z', audioInput: metrics(40), audioOutput: metrics(null), videoInput: null, videoOutput: metrics(120) },
      { dateTime: '2026-11-27T10:01:00Z', audioInput: metrics(null), audioOutput: metrics(null), videoInput: null, videoOutput: metrics(110) },
    ];
    expect(qosSeries(samples, 'latencyMs')).toEqual([
      { name: 'audio in', points: [{ x: Date.parse('2026-11-27T10:00:00Z'), y: 40 }, { x: Date.parse('2026-11-27T10:01:00Z'), y: null }] },
      { name: 'video out', points: [{ x: Date.parse('2026-11-27T10:00:00Z'), y: 120 }, { x: Date.parse('2026-11-27T10:01:00Z'), y: 110 }] },
    ]);
    expect(qosSeries(samples, 'jitterMs').map((series) => series.name)).toEqual(['audio in', 'audio out', 'video out']);
  });
});
