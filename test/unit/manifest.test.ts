import { manifestDocuments, parseManifest } from '../../src/trusted-documents/manifest';

const TEXT = '{ __typename }';
const HEX = '7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b';
const OTHER_HEX = '8849c8c4ed997996c171cc73aebc20fd4c23547ee14730d81998e29e306a2f17';

describe('a trusted-documents manifest', () => {
  it("reads the client preset's format, with or without the sha256: prefix", () => {
    expect([...manifestDocuments({ [`sha256:${HEX}`]: TEXT }, 'm.json')]).toEqual([[HEX, TEXT]]);
    expect([...manifestDocuments({ [HEX]: TEXT }, 'm.json')]).toEqual([[HEX, TEXT]]);
  });

  it("reads Apollo's persisted query manifest", () => {
    const apollo = { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: HEX, name: 'Typename', type: 'query', body: TEXT }] };
    expect([...parseManifest(JSON.stringify(apollo), 'm.json')]).toEqual([[HEX, TEXT]]);
  });

  it.each([
    ['not JSON', '{', 'm.json is not JSON.'],
    ['a list', '[]', 'm.json must hold a JSON object.'],
    ['an id that is not a SHA-256', JSON.stringify({ abc: TEXT }), 'm.json: "abc" is not a SHA-256 id ("sha256:" and 64 lowercase hex digits).'],
    ["an id that is another text's", JSON.stringify({ [`sha256:${OTHER_HEX}`]: TEXT }), `m.json: the id sha256:${OTHER_HEX} is not the SHA-256 of its document.`],
    ['a text that is not a string', JSON.stringify({ [HEX]: 1 }), "m.json: every entry must map a SHA-256 id to a document's text."],
    ['an Apollo manifest without operations', JSON.stringify({ format: 'apollo-persisted-query-manifest' }), 'm.json: an Apollo persisted query manifest needs an "operations" list.'],
  ])('refuses %s, naming the file', (_name, json, message) => {
    expect(() => parseManifest(json, 'm.json')).toThrow(message);
  });
});
