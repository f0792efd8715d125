import { metricForm, parseBitrateKbps, parseFrameRate, parseMilliseconds, parsePercent, parseResolution } from '../../src/sessions/qos-metrics';
import { sessionUserQosOf, toSessionUserQos } from '../../src/sessions/session-user-qos.type';
import { unknownMetricLog } from '../../src/sessions/unknown-metric-log';

describe('QoS metric parsers', () => {
  it('read Zoom\'s strings with units', () => {
    expect(parseBitrateKbps('23 kbps')).toBe(23);
    expect(parseBitrateKbps('23kbps')).toBe(23);
    expect(parseBitrateKbps('1.5 Mbps')).toBe(1500);
    expect(parseBitrateKbps('800 bps')).toBe(0.8);
    expect(parseMilliseconds('126 ms')).toBe(126);
    expect(parseMilliseconds('0ms')).toBe(0);
    expect(parsePercent('0.3%')).toBe(0.3);
    expect(parsePercent('12 %')).toBe(12);
    expect(parseFrameRate('12 fps')).toBe(12);
    expect(parseResolution('1280*720')).toBe('1280x720');
    expect(parseResolution('640x360')).toBe('640x360');
  });

  it('answer null for Zoom\'s ways of saying nothing', () => {
    for (const raw of [undefined, null, '', '-', ' -- ', 'N/A']) {
      expect(parseBitrateKbps(raw)).toBeNull();
      expect(parseResolution(raw)).toBeNull();
    }
  });

  it('answer undefined for a form they do not know', () => {
    expect(parseBitrateKbps('23 kbit/s')).toBeUndefined();
    expect(parseMilliseconds('1.2 s')).toBeUndefined();
    expect(parsePercent('0.3')).toBeUndefined();
    expect(parseFrameRate(['12'])).toBeUndefined();
    expect(parseResolution('HD')).toBeUndefined();
    expect(parseMilliseconds(42)).toBe(42);
  });

  it('folds digits for logging a form once', () => {
    expect(metricForm('23 kbit/s')).toBe('9 kbit/s');
    expect(metricForm({ a: 1 })).toBe('{"a":9}');
  });
});

describe('toSessionUserQos', () => {
  it('maps samples, drops those without a time, logs each unknown form once, and finds the worst values', () => {
    const warnings: unknown[] = [];
    const report = unknownMetricLog((details) => warnings.push(details));
    const qos = toSessionUserQos(
      {
        id: '1',
        user_qos: [
          { date_time: '2026-10-07T05:42:00Z', audio_input: { bitrate: '23 kbps', latency: '126 ms', jitter: '4 ms', avg_loss: '0.3%', max_loss: '1.2%' }, video_input: { bitrate: '900 kbps', resolution: '1280*720', frame_rate: '12 fps', max_loss: '7 kbit' } },
          { date_time: 'not a time', audio_input: { bitrate: '1 kbps' } },
          { date_time: '2026-10-07T05:47:00Z', audio_input: { bitrate: '30 kbps', latency: '210 ms', max_loss: '8 kbit' } },
        ],
      },
      report,
    );
    expect(qos.samples).toHaveLength(2);
    expect(qos.samples[0]).toEqual({
      dateTime: new Date('2026-10-07T05:42:00Z'),
      audioInput: { bitrateKbps: 23, latencyMs: 126, jitterMs: 4, avgLossPercent: 0.3, maxLossPercent: 1.2, resolution: null, frameRate: null },
      audioOutput: null,
      videoInput: { bitrateKbps: 900, latencyMs: null, jitterMs: null, avgLossPercent: null, maxLossPercent: null, resolution: '1280x720', frameRate: 12 },
      videoOutput: null,
      screenShareInput: null,
      screenShareOutput: null,
    });
    expect(qos.worstAudioLatencyMs).toBe(210);
    expect(qos.worstLossPercent).toBe(1.2);
    expect(warnings).toEqual([{ metric: 'video_input.max_loss', form: '9 kbit' }, { metric: 'audio_input.max_loss', form: '9 kbit' }]);
    toSessionUserQos({ user_qos: [{ date_time: '2026-10-07T05:42:00Z', audio_input: { max_loss: '9 kbit' } }] }, report);
    expect(warnings).toHaveLength(2);
  });
});

describe('sessionUserQosOf', () => {
  it('maps a cached entry once, however many requests read it, and each entry apart; the mark stays out of JSON', () => {
    let mapped = 0;
    const report = (): void => {
      mapped += 1;
    };
    const entry = { id: '1', user_qos: [{ date_time: '2026-10-07T05:42:00Z', audio_input: { latency: '126 ms', max_loss: '9 kbit' } }] };
    const first = sessionUserQosOf(entry, report);
    expect(sessionUserQosOf(entry, report)).toBe(first);
    expect(first.worstAudioLatencyMs).toBe(126);
    expect(mapped).toBe(1);
    const other = { ...JSON.parse(JSON.stringify(entry)), user_qos: [{ date_time: '2026-10-07T05:42:00Z', audio_input: { latency: '300 ms' } }] };
    expect(sessionUserQosOf(other, report).worstAudioLatencyMs).toBe(300);
    expect(JSON.parse(JSON.stringify(entry))).toEqual({ id: '1', user_qos: entry.user_qos });
  });
});
