import { MAX_NODE_ID_LENGTH, decodeNodeId, encodeNodeId } from '../../src/sessions/node-id';

describe('global ids', () => {
  it('are base64url of a versioned, typed JSON array: pinned, so a change of format shows', () => {
    expect(encodeNodeId({ type: 'Session', sessionId: 'sfk/aOFJSJSYhGwk1hnxgw==' })).toBe('WyJTZXNzaW9uIiwxLCJzZmsvYU9GSlNKU1loR3drMWhueGd3PT0iXQ');
    expect(encodeNodeId({ type: 'SessionUser', session: { id: 'sfk/aOFJSJSYhGwk1hnxgw==', type: 'past' }, userId: '16778240', joinTime: '2026-10-01T09:00:00Z' })).toBe(
      'WyJTZXNzaW9uVXNlciIsMSwicGFzdCIsInNmay9hT0ZKU0pTWWhHd2sxaG54Z3c9PSIsIjE2Nzc4MjQwIiwiMjAyNi0xMC0wMVQwOTowMDowMFoiXQ',
    );
  });

  it('decode to what they were made from, whatever the Zoom ids hold', () => {
    const keys = [
      { type: 'Session', sessionId: '/lead+slash//x==' },
      { type: 'Session', sessionId: 'with:colon"quote' },
      { type: 'SessionUser', session: { id: 'a/b==', type: 'live' }, userId: 'u:1', joinTime: '' },
    ] as const;
    for (const key of keys) expect(decodeNodeId(encodeNodeId(key))).toEqual(key);
  });

  it('refuse anything else with a reason, never throwing', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const refused = [
      '',
      'has spaces',
      'padded==',
      'A'.repeat(MAX_NODE_ID_LENGTH + 1),
      b64('not json'),
      b64('{"type":"Session"}'),
      b64('["Session",2,"abc"]'),
      b64('["Session",1]'),
      b64('["Session",1,""]'),
      b64('["Session",1,".."]'),
      b64('["Session",1,"a/../b"]'),
      b64('["Meeting",1,"abc"]'),
      b64('["SessionUser",1,"scheduled","abc","u","t"]'),
      b64('["SessionUser",1,"past","abc","","t"]'),
      b64('["SessionUser",1,"past","abc","u",5]'),
      b64(`["Session",1,"${'x'.repeat(300)}"]`),
    ];
    for (const id of refused) expect(typeof decodeNodeId(id)).toBe('string');
  });
});
