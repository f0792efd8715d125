import type { DocumentStore } from '@apollo/server';
import type { DocumentNode } from 'graphql';

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
export class SizedCache<V> implements KeyValueCache<V> {
  // A Map iterates in insertion order: re-inserting on read keeps the least recent first.
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  async get(key: string): Promise<V | undefined> {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: V): Promise<void> {
    await this.delete(key);
    const bytes = this.sizeOf(value);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  async delete(key: string): Promise<boolean> {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    return true;
  }

  size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
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
