import { participationKey, toSessionUser } from '../../src/sessions/session-user.type';

const wire = {
  id: '16778240', name: 'Ada Lovelace', user_key: 'user-1', participant_uuid: 'uuid-1', device: 'Mac', client: 'Web SDK', os: 'Mac OS', os_version: '15.1',
  browser_name: 'Chrome', browser_version: '131.0', ip_address: '203.0.113.7', location: 'Berlin (DE)', network_type: 'Wifi', microphone: 'Mic', speaker: 'Spk',
  camera: '', data_center: 'Germany (FR)', connection_type: 'UDP', join_time: '2026-10-07T05:42:28Z', leave_reason: 'left', is_original_host: true,
  audio_quality: 'good', video_quality: 'fair', screen_share_quality: '', passcode: 'never',
};

describe('toSessionUser', () => {
  it('maps every field; "" and absent are null; leaveTime null while present', () => {
    expect(toSessionUser(wire)).toEqual({
      id: '16778240', name: 'Ada Lovelace', userKey: 'user-1', participantUuid: 'uuid-1', joinTime: new Date('2026-10-07T05:42:28Z'), leaveTime: null, leaveReason: 'left',
      device: 'Mac', client: 'Web SDK', os: 'Mac OS', osVersion: '15.1', browserName: 'Chrome', browserVersion: '131.0', networkType: 'Wifi', dataCenter: 'Germany (FR)',
      connectionType: 'UDP', microphone: 'Mic', speaker: 'Spk', camera: null, isOriginalHost: true, audioQuality: 'good', videoQuality: 'fair', screenShareQuality: null,
      ipAddress: null, location: null,
    });
  });

  it('serves personal data only when told to', () => {
    expect(toSessionUser(wire, true)).toMatchObject({ ipAddress: '203.0.113.7', location: 'Berlin (DE)' });
  });

  it('survives a participant with nothing but wrong types', () => {
    expect(toSessionUser({ id: 7, name: null, join_time: 'yesterday', is_original_host: 'yes' })).toMatchObject({ id: '', name: '', joinTime: null, isOriginalHost: null });
  });

  it('keys a participation by id and join time', () => {
    expect(participationKey(wire)).toBe('16778240\u00002026-10-07T05:42:28Z');
    expect(participationKey({ participant_uuid: 'u' })).toBe('u\u0000');
  });
});
