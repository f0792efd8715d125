import { toCsv } from '../../dashboard/src/csv';
import type { DashboardSessionRowFragment } from '../../dashboard/src/generated/graphql';
import { sessionsCsv, sessionsCsvName } from '../../dashboard/src/sessions-csv';

describe("the dashboard's CSV", () => {
  it('quotes a field holding a comma, a quote, a line break or edge spaces, doubling its quotes', () => {
    expect(toCsv(['a', 'b'], [['plain', 'with, comma']])).toBe('a,b\r\nplain,"with, comma"\r\n');
    expect(toCsv(['a'], [['say "hi"']])).toBe('a\r\n"say ""hi"""\r\n');
    expect(toCsv(['a'], [['two\nlines'], ['cr\rhere']])).toBe('a\r\n"two\nlines"\r\n"cr\rhere"\r\n');
    expect(toCsv(['a'], [[' padded ']])).toBe('a\r\n" padded "\r\n');
  });

  it('writes numbers and booleans as they are, and nothing for a missing value', () => {
    expect(toCsv(['n', 'b', 'null', 'undefined', 'negative'], [[3.5, false, null, undefined, -2]])).toBe('n,b,null,undefined,negative\r\n3.5,false,,,-2\r\n');
  });

  it('keeps a spreadsheet from running text as a formula', () => {
    expect(toCsv(['a'], [['=HYPERLINK("x")'], ['+1'], ['-1'], ['@SUM(A1)']])).toBe('a\r\n"\'=HYPERLINK(""x"")"\r\n\'+1\r\n\'-1\r\n\'@SUM(A1)\r\n');
  });

  it('gives a header and nothing else for no rows', () => {
    expect(toCsv(['a', 'b'], [])).toBe('a,b\r\n');
  });

  it('writes one line per session loaded, with the times as the gateway sent them', () => {
    const session: DashboardSessionRowFragment = {
      __typename: 'Session',
      id: 'U2Vzc2lvbg',
      sessionId: 'ab/c+==',
      sessionName: 'Review, "final"',
      sessionKey: null,
      startTime: '2026-10-31T23:31:07Z',
      endTime: '2026-11-01T00:02:07Z',
      durationSeconds: 1860,
      userCount: 4,
      participantsNow: null,
      hasVideo: true,
      hasScreenShare: false,
      hasRecording: false,
      hasPstn: true,
      audioQuality: 'good',
      videoQuality: 'fair',
      screenShareQuality: null,
    };
    expect(sessionsCsv([session, { ...session, sessionId: 'live-1', endTime: null, durationSeconds: null, participantsNow: 3 }]).split('\r\n')).toEqual([
      'sessionId,sessionName,sessionKey,startTime,endTime,durationSeconds,participants,participantsNow,audioQuality,videoQuality,screenShareQuality,hasVideo,hasScreenShare,hasRecording,hasPstn',
      'ab/c+==,"Review, ""final""",,2026-10-31T23:31:07Z,2026-11-01T00:02:07Z,1860,4,,good,fair,,true,false,false,true',
      'live-1,"Review, ""final""",,2026-10-31T23:31:07Z,,,4,3,good,fair,,true,false,false,true',
      '',
    ]);
    expect(sessionsCsvName({ type: 'PAST', from: '2026-10-01', to: '2026-10-31' })).toBe('sessions-PAST-2026-10-01-to-2026-10-31.csv');
  });
});
