import { RefusedHostNames } from '../../src/transport/refused-hosts';

describe('the host names the Host guard refused, as the log tells them', () => {
  it('tells the first at once, then once a minute the names refused since, a proxy\'s name ahead of made-up ones sent to crowd it out', () => {
    let now = 0;
    const lines: { details: Record<string, unknown>; message: string }[] = [];
    const names = new RefusedHostNames((details, message) => lines.push({ details, message }), () => now);
    names.note('flood0.example');
    expect(lines.map((line) => line.details)).toEqual([{ hostName: 'flood0.example' }]);
    // Within the minute: 15 made-up names once each, and the proxy's name on each of its 20 requests.
    for (let n = 1; n <= 15; n += 1) names.note(`flood${n}.example`);
    for (let n = 0; n < 20; n += 1) names.note('zoom_gateway');
    expect(lines).toHaveLength(1);
    now = 60_000;
    names.note('zoom_gateway');
    expect(lines).toHaveLength(2);
    const report = lines[1].details as { hostNames: { name: string; count: number }[]; otherNames: number; since: string };
    expect(report.hostNames[0]).toEqual({ name: 'zoom_gateway', count: 20 });
    expect(report.hostNames).toHaveLength(10);
    expect(report.otherNames).toBe(7);
    expect(report.since).toBe('1970-01-01T00:00:00.000Z');
  });

  it('keeps at most 1,000 names a window, counting the rest together', () => {
    let now = 0;
    const lines: Record<string, unknown>[] = [];
    const names = new RefusedHostNames((details) => lines.push(details), () => now);
    for (let n = 0; n < 5_000; n += 1) names.note(`n${n}.example`);
    now = 60_000;
    names.note('next.example');
    expect(lines[1]).toMatchObject({ otherNames: 990, uncountedRefusals: 4_000 });
  });
});
