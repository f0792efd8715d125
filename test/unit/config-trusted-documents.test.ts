import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { configProblems } from '../config-problems';

const TEXT = '{ __typename }';
const HEX = '7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b';


describe('trusted documents settings', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-manifests-'));
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ [`sha256:${HEX}`]: TEXT }));
    writeFileSync(join(dir, 'broken.json'), '{"sha256:');
    writeFileSync(join(dir, 'forged.json'), JSON.stringify({ [`sha256:${'0'.repeat(64)}`]: TEXT }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports by default, with no manifest but the dashboard’s and no client enforced', () => {
    expect(loadConfig({}).trustedDocuments).toEqual({ mode: 'report', enforcedClients: [], files: [], documents: new Map() });
  });

  it('loads every manifest listed, and names the clients enforced', () => {
    const config = loadConfig({ TRUSTED_DOCUMENTS: 'ENFORCE', TRUSTED_DOCUMENTS_FILE: join(dir, 'good.json'), TRUSTED_DOCUMENTS_ENFORCE_CLIENTS: 'key:AbC-_123, sub:team-a' });
    expect(config.trustedDocuments).toEqual({ mode: 'enforce', enforcedClients: ['key:AbC-_123', 'sub:team-a'], files: [join(dir, 'good.json')], documents: new Map([[HEX, TEXT]]) });
  });

  it('refuses to start on a missing, broken or forged manifest, listing each with the other problems', () => {
    const problems = configProblems({
      PORT: 'x',
      TRUSTED_DOCUMENTS: 'strict',
      TRUSTED_DOCUMENTS_FILE: [join(dir, 'missing.json'), join(dir, 'broken.json'), join(dir, 'forged.json'), join(dir, 'good.json')].join(','),
      TRUSTED_DOCUMENTS_ENFORCE_CLIENTS: 'team-a,key:ok',
    });
    expect(problems).toEqual([
      expect.stringContaining('PORT must be a whole number'),
      'TRUSTED_DOCUMENTS must be one of report, enforce; got "strict".',
      'TRUSTED_DOCUMENTS_ENFORCE_CLIENTS names clients as key:<keyId> or sub:<subject>; got "team-a".',
      `TRUSTED_DOCUMENTS_FILE: cannot read ${join(dir, 'missing.json')} (ENOENT).`,
      `TRUSTED_DOCUMENTS_FILE: ${join(dir, 'broken.json')} is not JSON.`,
      `TRUSTED_DOCUMENTS_FILE: ${join(dir, 'forged.json')}: the id sha256:${'0'.repeat(64)} is not the SHA-256 of its document.`,
    ]);
  });
});
