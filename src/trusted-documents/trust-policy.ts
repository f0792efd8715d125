import { ErrorCode } from '../errors';
import { DOCUMENT_ID, sha256Hex, type TrustedDocumentMap } from './manifest';

export const DOCUMENT_NOT_TRUSTED = ErrorCode.DOCUMENT_NOT_TRUSTED;
/** Apollo's own code for a hash it does not know: Apollo clients react to it by name. */
export const PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';

export interface TrustPolicy {
  readonly documents: TrustedDocumentMap;
  /** Every client is refused documents outside the manifests. */
  readonly enforceAll: boolean;
  /** These clients (named as quotas name them: `key:<keyId>`, `sub:<subject>`) are refused them while others are served. */
  readonly enforcedClients: ReadonlySet<string>;
}

/** One operation's GraphQL parameters, as a POST body or GET parameters carry them. */
export interface DocumentParams {
  readonly query?: unknown;
  readonly documentId?: unknown;
  readonly extensions?: unknown;
}

export type TrustVerdict =
  /** In a manifest; `query` is the text to run when the client sent only its id. */
  | { readonly kind: 'trusted'; readonly query?: string }
  /** Outside every manifest, from a client not enforced: served, and counted. */
  | { readonly kind: 'untrusted' }
  /** Nothing to judge (no document, or an automatic persisted query's hash): Apollo answers as it would. */
  | { readonly kind: 'pass' }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string; readonly untrusted: boolean };

export function isEnforced(policy: TrustPolicy, client: string): boolean {
  return policy.enforceAll || policy.enforcedClients.has(client);
}

export function persistedQueryHash(extensions: unknown): string | undefined {
  const persisted = typeof extensions === 'object' && extensions !== null ? (extensions as { persistedQuery?: unknown }).persistedQuery : undefined;
  const hash = typeof persisted === 'object' && persisted !== null ? (persisted as { sha256Hash?: unknown }).sha256Hash : undefined;
  return typeof hash === 'string' ? hash : undefined;
}

const NOT_TRUSTED = "This client may run trusted documents only: send the `documentId` of a document in the gateway's manifest.";

/**
 * What to do with one operation from `client` (its quota key). Pure, never throws. A known id, by
 * `documentId` or by Apollo's `persistedQuery` hash, runs the manifest's text. An unknown hash from
 * an enforced client is refused here, not left to Apollo: Apollo's cache of automatic persisted
 * queries may hold a text another client registered, and answering "not found" keeps the client
 * from registering one of its own (its retry with the text is judged as text, and refused).
 */
export function judgeDocument(params: DocumentParams, client: string, policy: TrustPolicy): TrustVerdict {
  if (params.documentId !== undefined) {
    const hex = typeof params.documentId === 'string' ? DOCUMENT_ID.exec(params.documentId)?.[1] : undefined;
    if (hex === undefined) return { kind: 'refused', code: 'BAD_REQUEST', message: '`documentId` must be "sha256:" and 64 lowercase hex digits.', untrusted: false };
    const text = policy.documents.get(hex);
    if (text === undefined) return { kind: 'refused', code: PERSISTED_QUERY_NOT_FOUND, message: `No trusted document has the id ${params.documentId}.`, untrusted: false };
    if (params.query !== undefined && params.query !== text) return { kind: 'refused', code: 'BAD_REQUEST', message: 'Send `documentId` or `query`, not both with different documents.', untrusted: false };
    return { kind: 'trusted', query: text };
  }
  const hash = persistedQueryHash(params.extensions);
  if (typeof params.query !== 'string') {
    const text = hash === undefined ? undefined : policy.documents.get(hash.toLowerCase());
    if (text !== undefined) return { kind: 'trusted', query: text };
    if (hash !== undefined && isEnforced(policy, client)) return { kind: 'refused', code: PERSISTED_QUERY_NOT_FOUND, message: 'PersistedQueryNotFound', untrusted: false };
    return { kind: 'pass' };
  }
  if (policy.documents.has(sha256Hex(params.query))) return { kind: 'trusted' };
  return isEnforced(policy, client) ? { kind: 'refused', code: DOCUMENT_NOT_TRUSTED, message: NOT_TRUSTED, untrusted: true } : { kind: 'untrusted' };
}
