import type { TrustPolicy } from '../../src/trusted-documents/trust-policy';
import { trustedRequest, trustedSubscribe, type DocumentTrust } from '../../src/transport/trusted-request';

const TEXT = '{ __typename }';
const HEX = '7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b';
const OTHER = '{ sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 2) { nodes { id } } }';

const policy = (overrides: Partial<TrustPolicy> = {}): TrustPolicy => ({ documents: new Map([[HEX, TEXT]]), enforceAll: false, enforcedClients: new Set(), ...overrides });

describe('a request with trusted documents', () => {
  const heard: string[] = [];
  const trust = (overrides: Partial<TrustPolicy> = {}): DocumentTrust => ({ policy: policy(overrides), onUntrusted: (outcome, client) => void heard.push(`${outcome} ${client}`) });
  beforeEach(() => heard.splice(0));

  it('puts the text where a POST body had only its id, and keeps the rest', () => {
    expect(trustedRequest('POST', { documentId: `sha256:${HEX}`, variables: { a: 1 } }, '', 'key:a', trust())).toEqual({ ok: true, body: { variables: { a: 1 }, query: TEXT }, search: '' });
  });

  it('rewrites GET parameters only when an id was replaced', () => {
    const search = `?documentId=sha256%3A${HEX}&variables=%7B%7D`;
    expect(trustedRequest('GET', undefined, search, 'key:a', trust())).toEqual({ ok: true, body: undefined, search: '?variables=%7B%7D&query=%7B+__typename+%7D' });
    const plain = `?query=${encodeURIComponent(OTHER)}`;
    expect(trustedRequest('GET', undefined, plain, 'key:a', trust())).toEqual({ ok: true, body: undefined, search: plain });
    expect(heard).toEqual(['served key:a']);
  });

  it('refuses a whole batch for one operation outside the manifest, and counts it', () => {
    expect(trustedRequest('POST', [{ query: TEXT }, { query: OTHER }], '', 'key:a', trust({ enforceAll: true }))).toMatchObject({ ok: false, code: 'DOCUMENT_NOT_TRUSTED' });
    expect(heard).toEqual(['refused key:a']);
  });

  it('counts each operation of a batch it serves outside the manifest, and none of a batch refused', () => {
    expect(trustedRequest('POST', [{ query: OTHER }, { query: OTHER }], '', 'key:a', trust())).toMatchObject({ ok: true });
    expect(trustedRequest('POST', [{ query: OTHER }, { documentId: `sha256:${'0'.repeat(64)}` }], '', 'key:a', trust())).toMatchObject({ ok: false, code: 'PERSISTED_QUERY_NOT_FOUND' });
    expect(heard).toEqual(['served key:a', 'served key:a']);
  });

  it('passes what is not GraphQL parameters on to Apollo untouched', () => {
    expect(trustedRequest('POST', 'text', '', 'key:a', trust({ enforceAll: true }))).toEqual({ ok: true, body: 'text', search: '' });
  });

  it('judges a subscribe request, an empty query standing for none beside an id', () => {
    expect(trustedSubscribe({ query: '', documentId: `sha256:${HEX}` }, 'key:a', trust({ enforceAll: true }))).toEqual({ ok: true, payload: { query: TEXT } });
    expect(trustedSubscribe({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: HEX } } }, 'key:a', trust({ enforceAll: true }))).toMatchObject({ ok: true, payload: { query: TEXT } });
    expect(trustedSubscribe({ query: OTHER }, 'key:a', trust({ enforceAll: true }))).toMatchObject({ ok: false, code: 'DOCUMENT_NOT_TRUSTED' });
    expect(trustedSubscribe({ query: OTHER }, 'key:a', trust())).toEqual({ ok: true, payload: { query: OTHER } });
    expect(heard).toEqual(['refused key:a', 'served key:a']);
  });

  it('refuses a subscribe request\'s persisted-query hash as Apollo refuses one over HTTP: unknown, or not its text\'s', () => {
    const unknown = { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } };
    expect(trustedSubscribe({ query: '', extensions: unknown }, 'key:a', trust())).toEqual({ ok: false, code: 'PERSISTED_QUERY_NOT_FOUND', message: 'PersistedQueryNotFound' });
    expect(trustedSubscribe({ query: OTHER, extensions: unknown }, 'key:a', trust())).toEqual({ ok: false, code: 'BAD_REQUEST', message: 'provided sha does not match query' });
    // Its own text's hash (a client registering a persisted query) runs that text.
    expect(trustedSubscribe({ query: TEXT, extensions: { persistedQuery: { version: 1, sha256Hash: HEX } } }, 'key:a', trust())).toMatchObject({ ok: true, payload: { query: TEXT } });
  });
});
