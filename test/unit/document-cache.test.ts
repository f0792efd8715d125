import { parse } from 'graphql';
import { BYTES_PER_TOKEN, DOCUMENT_FIXED_BYTES, DocumentCache, PERSISTED_QUERY_FIXED_BYTES, createDocumentStore, documentBytes, persistedQueriesOption, persistedQueryBytes } from '../../src/document-cache';

const COMMENT = 'x'.repeat(60_000);

describe('documentBytes', () => {
  it('counts the source a comment makes large, which JSON.stringify(document) leaves out', () => {
    const document = parse(`{ __typename } # ${COMMENT}`);
    // Tokens: <SOF> { __typename } #comment <EOF>.
    expect(documentBytes(document)).toBe(DOCUMENT_FIXED_BYTES + 6 * BYTES_PER_TOKEN + 60_017);
    expect(JSON.stringify(document).length).toBeLessThan(500);
  });

  it('counts every token of a small document', () => {
    expect(documentBytes(parse('{ a: __typename }'))).toBe(DOCUMENT_FIXED_BYTES + 7 * BYTES_PER_TOKEN + 17);
  });

  it('counts two bytes a character when one needs them', () => {
    expect(documentBytes(parse('{ __typename } # é€'))).toBe(DOCUMENT_FIXED_BYTES + 6 * BYTES_PER_TOKEN + 2 * 19);
  });

  it('weighs a document parsed without locations by its JSON', () => {
    const document = parse('{ __typename }', { noLocation: true });
    expect(documentBytes(document)).toBe(DOCUMENT_FIXED_BYTES + JSON.stringify(document).length);
  });
});

describe('DocumentCache', () => {
  it('keeps distinct 60 KB documents only up to its byte bound, least recently used first out', async () => {
    const cache = new DocumentCache(200_000);
    for (let index = 0; index < 10; index += 1) await cache.set(`k${index}`, parse(`{ __typename } # ${index} ${COMMENT}`));
    expect(cache.size().entries).toBe(3);
    expect(cache.size().bytes).toBeLessThanOrEqual(200_000);
    expect(await cache.get('k9')).toBeDefined();
    expect(await cache.get('k6')).toBeUndefined();
  });

  it('refreshes an entry on read', async () => {
    const one = parse(`{ a: __typename } # ${COMMENT}`);
    const cache = new DocumentCache(documentBytes(one) * 2 + 10);
    await cache.set('a', one);
    await cache.set('b', parse(`{ b: __typename } # ${COMMENT}`));
    await cache.get('a');
    await cache.set('c', parse(`{ c: __typename } # ${COMMENT}`));
    expect(await cache.get('a')).toBe(one);
    expect(await cache.get('b')).toBeUndefined();
  });

  it('refuses a document larger than the whole bound, and deletes', async () => {
    const cache = new DocumentCache(10_000);
    await cache.set('big', parse(`{ __typename } # ${COMMENT}`));
    await cache.set('small', parse('{ __typename }'));
    expect(cache.size().entries).toBe(1);
    expect(await cache.delete('small')).toBe(true);
    expect(cache.size()).toEqual({ entries: 0, bytes: 0 });
  });

  it('is left out at 0: Apollo then parses every request', () => {
    expect(createDocumentStore(0)).toBeNull();
  });
});

describe('persisted queries', () => {
  it('weigh a text by its entry and its characters', () => {
    expect(persistedQueryBytes('{a1:__typename}')).toBe(PERSISTED_QUERY_FIXED_BYTES + 15);
    expect(persistedQueryBytes('{a:__typename} # é€')).toBe(PERSISTED_QUERY_FIXED_BYTES + 2 * 19);
  });

  it('keep tiny distinct texts only up to the bound, entries counted', async () => {
    const { cache } = persistedQueriesOption(10_000);
    for (let index = 0; index < 100; index += 1) await cache.set(`apq:${index}`, `{a${index}:__typename}`);
    expect(cache.size().bytes).toBeLessThanOrEqual(10_000);
    expect(cache.size().entries).toBe(Math.floor(10_000 / (PERSISTED_QUERY_FIXED_BYTES + 16)));
  });
});
