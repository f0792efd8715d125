import { judgeDocument, type TrustPolicy } from '../../src/trusted-documents/trust-policy';

const TEXT = '{ __typename }';
const HEX = '7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b';
const OTHER = '{ sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 2) { nodes { id } } }';
const OTHER_HEX = '8849c8c4ed997996c171cc73aebc20fd4c23547ee14730d81998e29e306a2f17';

const policy = (overrides: Partial<TrustPolicy> = {}): TrustPolicy => ({ documents: new Map([[HEX, TEXT]]), enforceAll: false, enforcedClients: new Set(), ...overrides });

describe('judging a document', () => {
  it('runs the text of a known documentId or Apollo hash', () => {
    expect(judgeDocument({ documentId: `sha256:${HEX}` }, 'key:a', policy())).toEqual({ kind: 'trusted', query: TEXT });
    expect(judgeDocument({ extensions: { persistedQuery: { version: 1, sha256Hash: HEX } } }, 'key:a', policy({ enforceAll: true }))).toEqual({ kind: 'trusted', query: TEXT });
    expect(judgeDocument({ query: TEXT }, 'key:a', policy({ enforceAll: true }))).toEqual({ kind: 'trusted' });
  });

  it('answers an unknown or malformed documentId in every mode', () => {
    expect(judgeDocument({ documentId: `sha256:${OTHER_HEX}` }, 'key:a', policy())).toMatchObject({ kind: 'refused', code: 'PERSISTED_QUERY_NOT_FOUND' });
    expect(judgeDocument({ documentId: HEX }, 'key:a', policy())).toMatchObject({ kind: 'refused', code: 'BAD_REQUEST' });
    expect(judgeDocument({ documentId: `sha256:${HEX}`, query: OTHER }, 'key:a', policy())).toMatchObject({ kind: 'refused', code: 'BAD_REQUEST' });
  });

  it('serves other text to a client not enforced, and refuses it to one that is', () => {
    expect(judgeDocument({ query: OTHER }, 'key:a', policy())).toEqual({ kind: 'untrusted' });
    expect(judgeDocument({ query: OTHER }, 'key:a', policy({ enforcedClients: new Set(['key:a']) }))).toMatchObject({ kind: 'refused', code: 'DOCUMENT_NOT_TRUSTED', untrusted: true });
    expect(judgeDocument({ query: OTHER }, 'key:b', policy({ enforcedClients: new Set(['key:a']) }))).toEqual({ kind: 'untrusted' });
    expect(judgeDocument({ query: OTHER }, 'key:b', policy({ enforceAll: true }))).toMatchObject({ kind: 'refused', code: 'DOCUMENT_NOT_TRUSTED' });
  });

  it("leaves an unknown Apollo hash to Apollo's automatic persisted queries, unless the client is enforced", () => {
    const hashOnly = { extensions: { persistedQuery: { version: 1, sha256Hash: OTHER_HEX } } };
    expect(judgeDocument(hashOnly, 'key:a', policy())).toEqual({ kind: 'pass' });
    expect(judgeDocument(hashOnly, 'key:a', policy({ enforceAll: true }))).toMatchObject({ kind: 'refused', code: 'PERSISTED_QUERY_NOT_FOUND', untrusted: false });
    expect(judgeDocument({ ...hashOnly, query: OTHER }, 'key:a', policy({ enforceAll: true }))).toMatchObject({ kind: 'refused', code: 'DOCUMENT_NOT_TRUSTED' });
    expect(judgeDocument({}, 'key:a', policy({ enforceAll: true }))).toEqual({ kind: 'pass' });
  });
});
