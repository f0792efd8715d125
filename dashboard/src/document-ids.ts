import type { DocumentNode } from 'graphql';
import type { JSONMessageReplacer } from 'graphql-ws';
import * as operations from './generated/graphql';

/** The client preset puts each operation's trusted document id ("sha256:<hex>") here. */
interface WithDocumentId {
  readonly __meta__?: { readonly hash?: string };
}

/** Operation name → trusted document id, of every operation the dashboard was generated with. */
export function documentIds(documents: readonly unknown[]): ReadonlyMap<string, string> {
  const ids = new Map<string, string>();
  for (const document of documents) {
    const hash = (document as WithDocumentId | null)?.__meta__?.hash;
    if (typeof hash !== 'string') continue;
    for (const definition of (document as DocumentNode).definitions) {
      if (definition.kind === 'OperationDefinition' && definition.name) ids.set(definition.name.value, hash);
    }
  }
  return ids;
}

const DOCUMENT_IDS = documentIds(Object.values(operations));

/**
 * GraphQL over HTTP's persisted documents: a body that names one of the dashboard's own operations
 * goes as `{"documentId": …}` with no query text, so the gateway runs the text of its manifest and
 * a gateway that enforces trusted documents serves the dashboard. Apollo Client's HttpLink has no
 * option for a field beside `query`, hence a `fetch` of our own.
 */
export function sendingDocumentIds(fetcher: typeof fetch, ids: ReadonlyMap<string, string> = DOCUMENT_IDS): typeof fetch {
  return (input, init) => {
    if (typeof init?.body !== 'string') return fetcher(input, init);
    const body = JSON.parse(init.body) as { operationName?: unknown; query?: unknown; documentId?: string };
    const id = typeof body.operationName === 'string' ? ids.get(body.operationName) : undefined;
    if (id === undefined) return fetcher(input, init);
    const { query: _text, ...rest } = body;
    return fetcher(input, { ...init, body: JSON.stringify({ ...rest, documentId: id }) });
  };
}

/**
 * The same over graphql-ws: a subscribe message names its operation's id and leaves `query` empty
 * (graphql-ws requires the field), as graphql-ws's own recipe for persisted queries does.
 */
export function subscribingByDocumentId(ids: ReadonlyMap<string, string> = DOCUMENT_IDS): JSONMessageReplacer {
  return function replace(this: unknown, key, value) {
    if (key !== 'payload' || (this as { type?: unknown }).type !== 'subscribe') return value;
    const payload = value as { operationName?: unknown };
    const id = typeof payload.operationName === 'string' ? ids.get(payload.operationName) : undefined;
    return id === undefined ? value : { ...payload, query: '', documentId: id };
  };
}
