// The client preset's own transform, where codegen.yml can name it: the preset does not export the
// file by a path. Apollo Client's cache needs `__typename` in every answer, and the gateway runs a
// trusted document's manifest text as written, so the text must ask for it.
exports.transform = require('@graphql-codegen/client-preset').addTypenameSelectionDocumentTransform.transform;
