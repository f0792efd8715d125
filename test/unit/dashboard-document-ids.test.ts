import { DashboardDailyUsageDocument, DashboardLiveSessionsDocument } from '../../dashboard/src/generated/graphql';
import { documentIds, sendingDocumentIds, subscribingByDocumentId } from '../../dashboard/src/document-ids';
import manifest from '../../dashboard/src/generated/persisted-documents.json';

const ids = new Map([['DashboardDailyUsage', `sha256:${'a'.repeat(64)}`]]);

describe("the dashboard's trusted document ids", () => {
  it("are the client preset's, one per operation, each in the manifest", () => {
    const found = documentIds([DashboardDailyUsageDocument, DashboardLiveSessionsDocument, { kind: 'Document', definitions: [] }]);
    expect([...found.keys()]).toEqual(['DashboardDailyUsage', 'DashboardLiveSessions']);
    for (const id of found.values()) expect(Object.keys(manifest)).toContain(id);
  });

  it('replace the text of a known operation in a POST body, and leave any other body alone', async () => {
    const sent: (string | undefined)[] = [];
    const fetcher = sendingDocumentIds(async (_input, init) => {
      sent.push(init?.body as string | undefined);
      return new Response('{}');
    }, ids);
    await fetcher('/graphql', { method: 'POST', body: JSON.stringify({ operationName: 'DashboardDailyUsage', variables: { from: '2026-10-01' }, query: 'query DashboardDailyUsage { … }' }) });
    await fetcher('/graphql', { method: 'POST', body: JSON.stringify({ operationName: 'Other', query: '{ __typename }' }) });
    expect(sent).toEqual([
      JSON.stringify({ operationName: 'DashboardDailyUsage', variables: { from: '2026-10-01' }, documentId: ids.get('DashboardDailyUsage') }),
      JSON.stringify({ operationName: 'Other', query: '{ __typename }' }),
    ]);
  });

  it("name a known subscription by id over graphql-ws, with the empty query graphql-ws requires", () => {
    const replacer = subscribingByDocumentId(ids);
    const subscribe = { id: '1', type: 'subscribe', payload: { operationName: 'DashboardDailyUsage', query: 'query DashboardDailyUsage { … }', variables: {} } };
    expect(JSON.parse(JSON.stringify(subscribe, replacer))).toEqual({ id: '1', type: 'subscribe', payload: { operationName: 'DashboardDailyUsage', query: '', variables: {}, documentId: ids.get('DashboardDailyUsage') } });
    const init = { type: 'connection_init', payload: { operationName: 'DashboardDailyUsage' } };
    expect(JSON.parse(JSON.stringify(init, replacer))).toEqual(init);
  });
});
