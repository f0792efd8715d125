/** Trusted documents: which documents clients may run, and which clients are held to them. */

import type { TrustedDocumentMap } from '../trusted-documents/manifest';
import { readManifestFiles } from '../trusted-documents/manifest-files';
import { sectionReader, type Env } from './parse';

export const TRUSTED_DOCUMENTS_VARIABLES = [
  'TRUSTED_DOCUMENTS', // report (serve all, count the rest) or enforce (refuse the rest, every client)
  'TRUSTED_DOCUMENTS_FILE', // comma-separated manifests of other clients, besides the dashboard's own
  'TRUSTED_DOCUMENTS_ENFORCE_CLIENTS', // key:<keyId> or sub:<subject>: refused the rest under report too
] as const;

export const TRUSTED_DOCUMENTS_MODES = ['report', 'enforce'] as const;
export type TrustedDocumentsMode = (typeof TRUSTED_DOCUMENTS_MODES)[number];

/** The names quotas give clients (src/auth/client-auth.ts quotaKeyOf): the only ones a client keeps across addresses. */
const CLIENT_NAME = /^(?:key|sub):\S+$/;

export interface TrustedDocumentsConfig {
  /** `report`: every document is served, those outside the manifests counted; `enforce`: they are refused. */
  readonly mode: TrustedDocumentsMode;
  /** Clients refused documents outside the manifests even under `report`: a team's rollout, one client at a time. */
  readonly enforcedClients: readonly string[];
  /** The manifest files read, in order. */
  readonly files: readonly string[];
  /** Their documents (hex SHA-256 → text); the dashboard's own are added by the gateway. */
  readonly documents: TrustedDocumentMap;
}

export function readTrustedDocuments(env: Env, problems: string[]): TrustedDocumentsConfig {
  const read = sectionReader<(typeof TRUSTED_DOCUMENTS_VARIABLES)[number]>(env, problems);
  const mode = read.oneOf('TRUSTED_DOCUMENTS', TRUSTED_DOCUMENTS_MODES, 'report', { lowercase: true });
  const enforcedClients = read.list('TRUSTED_DOCUMENTS_ENFORCE_CLIENTS') ?? [];
  const unnamed = enforcedClients.filter((client) => !CLIENT_NAME.test(client));
  if (unnamed.length > 0) read.problem(`TRUSTED_DOCUMENTS_ENFORCE_CLIENTS names clients as key:<keyId> or sub:<subject>; got ${unnamed.map((client) => `"${client}"`).join(', ')}.`);
  const files = read.list('TRUSTED_DOCUMENTS_FILE') ?? [];
  const { documents, problems: unread } = readManifestFiles(files);
  for (const problem of unread) read.problem(`TRUSTED_DOCUMENTS_FILE: ${problem}`);
  return { mode, enforcedClients, files, documents };
}
