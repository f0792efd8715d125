import type { DocumentStore } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/** Apollo's KeyValueCache, as its `documentStore` and `persistedQueries.cache` use it. */
interface KeyValueCache<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

/**
 * What a parsed document holds beyond its tokens and source: Apollo's key (a schema hash and a
 * SHA-256), the cache entry, the cost plugin's priced fields. Measured by `npm run bench`
 * (bench-memory: 10,000 distinct small documents) on Node 20; a low-confidence figure.
 */
export const DOCUMENT_FIXED_BYTES = 1_500;
/** A token object, its value, and its share of the syntax tree and Location objects; measured as above. */
export const BYTES_PER_TOKEN = 240;

/**
 * A persisted query's entry beyond its text: Apollo's key ("apq:" and a SHA-256 in hex), the
 * cache entry. bench-memory (100,000 distinct persisted queries) measured about 210 bytes.
 */
export const PERSISTED_QUERY_FIXED_BYTES = 256;

/** V8 keeps a string in one byte a character unless a character needs two. */
function stringBytes(text: string): number {
  return /[^\u0000-\u00ff]/.test(text) ? text.length * 2 : text.length;
}

/**
 * What a parsed document really keeps alive: every node's `loc` reaches the whole source text
 * and, through the tokens' links, every token, comments included. Apollo's default store
 * weighs `JSON.stringify(document)`, where `loc` shows as two numbers and comments not at all.
 */
export function documentBytes(document: DocumentNode): number {
  const loc = document.loc;
  if (loc === undefined) return DOCUMENT_FIXED_BYTES + stringBytes(JSON.stringify(document));
  let tokens = 0;
  for (let token = loc.startToken as typeof loc.startToken | null; token !== null; token = token.next) tokens += 1;
  return DOCUMENT_FIXED_BYTES + tokens * BYTES_PER_TOKEN + stringBytes(loc.source.body);
}

/** What a persisted query's text really costs kept: the string and its entry. */
export function persistedQueryBytes(query: string): number {
  return PERSISTED_QUERY_FIXED_BYTES + stringBytes(query);
}

/**
 * A least-recently-used cache bounded by the real size of what it keeps (`sizeOf`), for what
 * clients can make unique at will. TTLs are ignored: the byte bound is what protects memory.
 */
export class SizedCache<V extends object | string> implements KeyValueCache<V> {
  // lru-cache needs a positive bound; a cache bounded at 0 keeps nothing.
  private readonly entries: LRUCache<string, V> | undefined;

  constructor(maxBytes: number, sizeOf: (value: V) => number) {
    this.entries = maxBytes > 0 ? new LRUCache<string, V>({ maxSize: maxBytes, sizeCalculation: (value) => Math.max(1, Math.ceil(sizeOf(value))) }) : undefined;
  }

  async get(key: string): Promise<V | undefined> {
    return this.entries?.get(key);
  }

  /** A value larger than the whole bound is not kept (and drops what was kept under its key). */
  async set(key: string, value: V): Promise<void> {
    this.entries?.set(key, value);
  }

  async delete(key: string): Promise<boolean> {
    return this.entries?.delete(key) ?? false;
  }

  size(): { entries: number; bytes: number } {
    return { entries: this.entries?.size ?? 0, bytes: this.entries?.calculatedSize ?? 0 };
  }
}

/** Apollo's `documentStore`, bounded by `documentBytes`. */
export class DocumentCache extends SizedCache<DocumentNode> implements DocumentStore {
  constructor(maxBytes: number) {
    super(maxBytes, documentBytes);
  }
}

/** `null` (no store) parses and validates every request afresh. */
export function createDocumentStore(maxBytes: number): DocumentCache | null {
  return maxBytes > 0 ? new DocumentCache(maxBytes) : null;
}

/** The texts of automatic persisted queries, bounded by `persistedQueryBytes` (at 0 none is kept: clients send the text each time). */
export function persistedQueriesOption(maxBytes: number): { cache: SizedCache<string> } {
  return { cache: new SizedCache<string>(maxBytes, persistedQueryBytes) };
}
