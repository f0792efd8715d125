import manifest from '../../dashboard/src/generated/persisted-documents.json';
import { manifestDocuments, type TrustedDocumentMap } from './manifest';

/**
 * The dashboard's own operations, as `npm run codegen` (the client preset) wrote their manifest:
 * always trusted, since the gateway serves the dashboard. Compiled in, so the manifest ships with
 * the gateway's build and cannot drift from the dashboard it serves.
 */
export const DASHBOARD_DOCUMENTS: TrustedDocumentMap = manifestDocuments(manifest, 'dashboard/src/generated/persisted-documents.json');
