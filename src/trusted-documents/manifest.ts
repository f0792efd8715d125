import { createHash } from 'node:crypto';

/** Hex SHA-256 of a document's text → the text. */
export type TrustedDocumentMap = ReadonlyMap<string, string>;

/** GraphQL over HTTP's persisted documents (Appendix A): `sha256:` and the hex digest of the text. */
export const DOCUMENT_ID = /^sha256:([0-9a-f]{64})$/;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function entriesOf(parsed: unknown, source: string): [unknown, unknown][] {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${source} must hold a JSON object.`);
  const record = parsed as Record<string, unknown>;
  if (record.format !== 'apollo-persisted-query-manifest') return Object.entries(record);
  if (!Array.isArray(record.operations)) throw new Error(`${source}: an Apollo persisted query manifest needs an "operations" list.`);
  return record.operations.map((operation: unknown) => {
    const { id, body } = (typeof operation === 'object' && operation !== null ? operation : {}) as Record<string, unknown>;
    return [id, body];
  });
}

/**
 * A manifest's documents: GraphQL Code Generator's client preset format
 * (`{ "sha256:<hex>": "<text>" }`, or bare hex keys), or Apollo's persisted query manifest
 * (`{ "format": "apollo-persisted-query-manifest", "operations": [{ "id", "body" }] }`). Every id
 * must be the SHA-256 of its text: otherwise a client could run one text under another's id, and
 * an Apollo client's hash of the text would never find it. Throws a message that names `source`
 * and the first problem.
 */
export function manifestDocuments(parsed: unknown, source: string): Map<string, string> {
  const documents = new Map<string, string>();
  for (const [id, text] of entriesOf(parsed, source)) {
    if (typeof id !== 'string' || typeof text !== 'string') throw new Error(`${source}: every entry must map a SHA-256 id to a document's text.`);
    const hex = id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
    if (!HEX_SHA256.test(hex)) throw new Error(`${source}: "${id.slice(0, 80)}" is not a SHA-256 id ("sha256:" and 64 lowercase hex digits).`);
    if (sha256Hex(text) !== hex) throw new Error(`${source}: the id ${id} is not the SHA-256 of its document.`);
    documents.set(hex, text);
  }
  return documents;
}

/** The same, of a manifest's JSON text. */
export function parseManifest(json: string, source: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error(`${source} is not JSON.`);
  }
  return manifestDocuments(parsed, source);
}
