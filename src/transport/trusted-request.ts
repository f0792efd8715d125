import { sha256Hex } from '../trusted-documents/manifest';
import { PERSISTED_QUERY_NOT_FOUND, judgeDocument, persistedQueryHash, type DocumentParams, type TrustPolicy, type TrustVerdict } from '../trusted-documents/trust-policy';

/** What the route hands Apollo: the body and query string, with a trusted text where only its id was. */
export type TrustedRequest =
  | { readonly ok: true; readonly body: unknown; readonly search: string }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** Hears of every document outside the manifests: served (client not enforced) or refused. */
export type UntrustedListener = (outcome: 'served' | 'refused', operationName: unknown) => void;

/** Trusted documents as every transport applies them: the policy, and who hears of documents outside it. */
export interface DocumentTrust {
  readonly policy: TrustPolicy;
  /** `client` as quotas name it (`key:<keyId>`, `sub:<subject>`, `addr:<address>`). */
  readonly onUntrusted: (outcome: 'served' | 'refused', client: string, operationName: unknown) => void;
}

type Judged = { readonly ok: true; readonly params: Record<string, unknown> } | { readonly ok: false; readonly code: string; readonly message: string };

function apply(params: Record<string, unknown>, verdict: TrustVerdict, onUntrusted: UntrustedListener): Judged {
  if (verdict.kind === 'refused') {
    if (verdict.untrusted) onUntrusted('refused', params.operationName);
    return { ok: false, code: verdict.code, message: verdict.message };
  }
  if (verdict.kind === 'untrusted') onUntrusted('served', params.operationName);
  if (verdict.kind !== 'trusted' || verdict.query === undefined) return { ok: true, params };
  const { documentId: _id, ...rest } = params;
  return { ok: true, params: { ...rest, query: verdict.query } };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** GET parameters as Apollo reads them: `extensions` is JSON text there. */
function getParams(search: URLSearchParams): DocumentParams {
  let extensions: unknown;
  try {
    extensions = JSON.parse(search.get('extensions') ?? 'null');
  } catch {
    // Apollo refuses it with its own message.
    extensions = undefined;
  }
  return { query: search.get('query') ?? undefined, documentId: search.get('documentId') ?? undefined, extensions };
}

/**
 * Judges every operation of a request (a POST body, each of a batch, or GET parameters) before
 * Apollo parses anything: one refused operation refuses the request, which then costs no Zoom call.
 */
export function trustedRequest(method: string, body: unknown, search: string, client: string, trust: DocumentTrust): TrustedRequest {
  const { policy } = trust;
  const onUntrusted: UntrustedListener = (outcome, operationName) => trust.onUntrusted(outcome, client, operationName);
  if (method === 'GET') {
    const params = new URLSearchParams(search);
    const original = Object.fromEntries(params);
    const judged = apply(original, judgeDocument(getParams(params), client, policy), onUntrusted);
    if (!judged.ok) return judged;
    // Rewritten only when a trusted text took the place of its id.
    return { ok: true, body, search: judged.params === original ? search : `?${new URLSearchParams(judged.params as Record<string, string>).toString()}` };
  }
  const operations: unknown[] = Array.isArray(body) ? body : [body];
  const judged: unknown[] = [];
  // A batch refused for one operation serves none: the others are not counted as served.
  const served: unknown[] = [];
  for (const operation of operations) {
    if (!isRecord(operation)) {
      // Not GraphQL parameters: Apollo refuses it as it would have.
      judged.push(operation);
      continue;
    }
    const verdict = apply(operation, judgeDocument(operation, client, policy), (outcome, operationName) => (outcome === 'served' ? served.push(operationName) : onUntrusted(outcome, operationName)));
    if (!verdict.ok) return verdict;
    judged.push(verdict.params);
  }
  for (const operationName of served) onUntrusted('served', operationName);
  return { ok: true, body: Array.isArray(body) ? judged : judged[0], search };
}

/**
 * A subscribe request (graphql-ws, graphql-sse) judged as a POST's operation is. Both protocols
 * require a `query` string: an empty one stands for none, as graphql-ws's own recipe for persisted
 * queries sends it beside the id.
 */
export function trustedSubscribe<P extends { readonly query: string }>(payload: P, client: string, trust: DocumentTrust): { readonly ok: true; readonly payload: P } | { readonly ok: false; readonly code: string; readonly message: string } {
  const params = payload as P & Record<string, unknown>;
  const hash = persistedQueryHash(params.extensions);
  // Over HTTP, Apollo checks a persisted query's hash against its text and keeps the texts clients registered;
  // subscriptions have no such store, so a hash is either a trusted document's, or its text's, or refused as Apollo would.
  if (hash !== undefined && payload.query !== '' && sha256Hex(payload.query) !== hash.toLowerCase()) {
    return { ok: false, code: 'BAD_REQUEST', message: 'provided sha does not match query' };
  }
  const verdict = judgeDocument({ ...params, query: payload.query === '' ? undefined : payload.query }, client, trust.policy);
  if (verdict.kind === 'pass' && hash !== undefined && payload.query === '') return { ok: false, code: PERSISTED_QUERY_NOT_FOUND, message: 'PersistedQueryNotFound' };
  const judged = apply(params, verdict, (outcome, operationName) => trust.onUntrusted(outcome, client, operationName));
  return judged.ok ? { ok: true, payload: judged.params as P } : judged;
}
