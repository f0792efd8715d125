// graphql-ws 6 publishes `graphql-ws/use/ws` through package exports only, which this project's
// node10 module resolution cannot read; the runtime (Node's require) resolves it by the exports.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
