/**
 * Requests no friendly client sends: each must be refused with a 4xx or a GraphQL error of a
 * stable code, before any Zoom call. Shared by the hostile test and `npm run bench`.
 */
export interface HostileCase {
  readonly name: string;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Path and query string; /graphql by default. */
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** When set, the code the answer must carry (otherwise any stable code or a 4xx will do). */
  readonly code?: string;
}

export const STABLE_CODES = new Set([
  'BAD_REQUEST',
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'QUERY_LIMIT_EXCEEDED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'METHOD_NOT_ALLOWED',
  'NOT_ACCEPTABLE',
]);

const JSON_HEADERS = { 'content-type': 'application/json' };
const RANGE = 'from: "2026-10-01", to: "2026-10-31"';

function json(name: string, payload: unknown, code?: string): HostileCase {
  return { name, headers: JSON_HEADERS, body: JSON.stringify(payload), code };
}

function query(name: string, text: string, code?: string, variables?: Record<string, unknown>): HostileCase {
  return json(name, variables === undefined ? { query: text } : { query: text, variables }, code);
}

const repeat = (count: number, make: (index: number) => string, separator = ' ') => Array.from({ length: count }, (_, index) => make(index)).join(separator);

function nestedOfType(levels: number): string {
  return `{ __type(name: "Session") { ${'fields { type { ofType '.repeat(1)}${'{ ofType '.repeat(levels)}{ name }${' }'.repeat(levels)} } } } }`;
}

function explodingFragments(levels: number): string {
  const fragments = [`fragment F0 on Query { s: sessions(type: PAST, ${RANGE}, first: 1) { nodes { id } } }`];
  for (let level = 1; level <= levels; level += 1) fragments.push(`fragment F${level} on Query { ...F${level - 1} ...F${level - 1} }`);
  return `query { ...F${levels} } ${fragments.join(' ')}`;
}

/** Each link spreads the next twice inside a session: 2^(levels-1) participants lists, priced by counting (a walk per spread would block the event loop for minutes). */
function doublingSessionFragments(levels: number): string {
  const fragments = [`fragment H${levels} on Session { users(first: 1) { nodes { name } } }`];
  for (let level = 1; level < levels; level += 1) fragments.push(`fragment H${level} on Session { ...H${level + 1} ...H${level + 1} }`);
  return `query { sessions(type: PAST, ${RANGE}, first: 1) { nodes { ...H1 } } } ${fragments.join(' ')}`;
}

export const HOSTILE_CASES: HostileCase[] = [
  // Depth
  query('introspection nested 25 ofType deep', nestedOfType(25), 'QUERY_LIMIT_EXCEEDED'),
  query('selection sets nested 300 deep on unknown fields', `{ ${'a { '.repeat(300)}b${' }'.repeat(300)} }`),
  query('fragments chained to nest past the depth limit', `query { __type(name: "Session") { ...T0 } } ${repeat(22, (i) => `fragment T${i} on __Type { ofType { ...T${i + 1} } }`)} fragment T22 on __Type { name }`, 'QUERY_LIMIT_EXCEEDED'),
  // Aliases and fields
  query('16 aliases of sessions', `{ ${repeat(16, (i) => `a${i}: sessions(type: PAST, ${RANGE}, first: 1) { nodes { id } }`)} }`, 'QUERY_LIMIT_EXCEEDED'),
  query('an alias flood of __typename', `{ ${repeat(400, (i) => `a${i}: __typename`)} }`, 'QUERY_LIMIT_EXCEEDED'),
  query('a field flood of 3000 __typename', `{ ${repeat(3000, () => '__typename')} }`, 'QUERY_LIMIT_EXCEEDED'),
  query('a field flood inside a node', `{ sessions(type: PAST, ${RANGE}, first: 1) { nodes { ${repeat(2500, () => 'id')} } } }`, 'QUERY_LIMIT_EXCEEDED'),
  query('11 root fields', `{ ${repeat(11, (i) => `r${i}: __schema { queryType { name } }`)} }`, 'QUERY_LIMIT_EXCEEDED'),
  query('aliases hidden in fragments', `query { ...A } fragment A on Query { ${repeat(16, (i) => `x${i}: __typename`)} }`, 'QUERY_LIMIT_EXCEEDED'),
  // Directives
  query('a directive flood on one field', `{ __typename ${repeat(25, () => '@skip(if: false)')} }`),
  query('directives spread over fields', `{ ${repeat(21, (i) => `f${i}: __typename @include(if: true)`)} }`, 'QUERY_LIMIT_EXCEEDED'),
  query('an unknown directive', '{ __typename @explode }', 'GRAPHQL_VALIDATION_FAILED'),
  // Tokens
  query('5000 tokens of whitespace-separated names', `{ ${repeat(2500, () => 'a b')} }`, 'QUERY_LIMIT_EXCEEDED'),
  query('1000 declared variables', `query(${repeat(1000, (i) => `$v${i}: Int`)}) { __typename }`, 'QUERY_LIMIT_EXCEEDED'),
  query('a list literal nested 1500 deep', `{ sessions(${RANGE}, sessionKey: ${'['.repeat(1500)}1${']'.repeat(1500)}) { nodes { id } } }`, 'QUERY_LIMIT_EXCEEDED'),
  query('an object literal nested 800 deep', `{ sessions(${RANGE}, sessionKey: ${'{a:'.repeat(800)}1${'}'.repeat(800)}) { nodes { id } } }`, 'QUERY_LIMIT_EXCEEDED'),
  // Recursion and explosion
  query('fragments that spread each other', 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }', 'GRAPHQL_VALIDATION_FAILED'),
  query('a fragment that spreads itself', 'query { ...A } fragment A on Query { __typename ...A }', 'GRAPHQL_VALIDATION_FAILED'),
  query('exploding fragments (2^20 sessions fields)', explodingFragments(20), 'QUERY_LIMIT_EXCEEDED'),
  query('fragments doubling inside a session (2^29 participants lists)', doublingSessionFragments(30), 'QUERY_LIMIT_EXCEEDED'),
  query('session id ".." (a path segment that leaves the details endpoint)', '{ session(id: "..") { id sessionName } }', 'BAD_USER_INPUT'),
  query('exploding fragments under a field', `query { __type(name: "Query") { ...G5 } } fragment G0 on __Type { name } ${repeat(5, (i) => `fragment G${i + 1} on __Type { fields { type { ...G${i} ...G${i} } } }`)}`),
  // Cost and arguments
  query('four sessions fields over six months', `{ ${repeat(4, (i) => `m${i}: sessions(type: PAST, from: "2026-06-01", to: "2026-11-27", first: 300) { nodes { id } }`)} }`, 'QUERY_LIMIT_EXCEEDED'),
  query('ten sessions fields over ten thousand years', `{ ${repeat(10, (i) => `y${i}: sessions(type: PAST, from: "1000-01-01", to: "9999-12-31") { nodes { id } }`)} }`, 'QUERY_LIMIT_EXCEEDED'),
  query('a range that ends in the year 9999', '{ sessions(type: PAST, from: "2016-10-01", to: "9999-12-31") { nodes { id } } }', 'BAD_USER_INPUT'),
  query('first: 99999999', `{ sessions(type: PAST, ${RANGE}, first: 99999999) { nodes { id } } }`, 'BAD_USER_INPUT'),
  query('first: -1', `{ sessions(type: PAST, ${RANGE}, first: -1) { nodes { id } } }`, 'BAD_USER_INPUT'),
  query('first beyond Int', `{ sessions(type: PAST, ${RANGE}, first: 99999999999999999999) { nodes { id } } }`, 'GRAPHQL_VALIDATION_FAILED'),
  query('first as a float', `{ sessions(type: PAST, ${RANGE}, first: 1.5) { nodes { id } } }`, 'GRAPHQL_VALIDATION_FAILED'),
  query('from ten years ago', '{ sessions(type: PAST, from: "2016-01-01", to: "2016-01-31") { nodes { id } } }', 'BAD_USER_INPUT'),
  query('from after to', '{ sessions(type: PAST, from: "2026-10-31", to: "2026-10-01") { nodes { id } } }', 'BAD_USER_INPUT'),
  query('an impossible date literal', '{ sessions(from: "2026-02-30", to: "2026-03-01") { nodes { id } } }', 'GRAPHQL_VALIDATION_FAILED'),
  query('a date with a time attached', '{ sessions(from: "2026-10-01T00:00:00Z", to: "2026-10-02") { nodes { id } } }', 'GRAPHQL_VALIDATION_FAILED'),
  query('a cursor of 20,000 characters', `{ sessions(type: PAST, ${RANGE}, after: "${'A'.repeat(20_000)}") { nodes { id } } }`, 'BAD_USER_INPUT'),
  query('a forged v1 cursor', `{ sessions(type: PAST, ${RANGE}, after: "v1.WyJ4IiwiMjAyNi0xMC0wMSIsIjIwMjYtMTAtMzEiLCJ0b2tlbiIsMCwiaWQiXQ.AAAAAAAAAAAAAAAAAAAAAA") { nodes { id } } }`, 'BAD_USER_INPUT'),
  query('a forged cursor in the current format', `{ sessions(type: PAST, ${RANGE}, after: "ArSdbDLda1D3URUAAAIAAAQrflCtghFsCe2nG6uZCKtRTxXQ5cGQv1xOcVo") { nodes { id } } }`, 'BAD_USER_INPUT'),
  query('a cursor that is a whole block of base64 padding', `{ sessions(type: PAST, ${RANGE}, after: "${'='.repeat(64)}") { nodes { id } } }`, 'BAD_USER_INPUT'),
  query('a session key of 10,000 characters', `{ sessions(type: PAST, ${RANGE}, sessionKey: "${'k'.repeat(10_000)}") { nodes { id } } }`, 'BAD_USER_INPUT'),
  query('a variable of the wrong type', 'query($from: Date!) { sessions(from: $from, to: "2026-10-31") { nodes { id } } }', 'BAD_USER_INPUT', { from: 20261001 }),
  query('a missing required variable', 'query($from: Date!) { sessions(from: $from, to: "2026-10-31") { nodes { id } } }', 'BAD_USER_INPUT', {}),
  query('an unknown enum value in a variable', 'query($type: SessionType) { sessions(type: $type, ' + RANGE + ') { nodes { id } } }', 'BAD_USER_INPUT', { type: 'ALL' }),
  query('an unknown field', '{ sessions(' + RANGE + ') { nodes { password } } }', 'GRAPHQL_VALIDATION_FAILED'),
  query('an unknown argument', '{ sessions(' + RANGE + ', last: 5) { nodes { id } } }', 'GRAPHQL_VALIDATION_FAILED'),
  // Operations
  query('a mutation', 'mutation { deleteSessions }', 'GRAPHQL_VALIDATION_FAILED'),
  query('a subscription', 'subscription { sessions }', 'GRAPHQL_VALIDATION_FAILED'),
  query('a mutation of a known field name', 'mutation { sessions }', 'GRAPHQL_VALIDATION_FAILED'),
  json('two operations without an operationName', { query: 'query A { __typename } query B { __typename }' }, 'OPERATION_RESOLUTION_FAILURE'),
  json('an operationName that is not in the document', { query: 'query A { __typename }', operationName: 'B' }, 'OPERATION_RESOLUTION_FAILURE'),
  json('an unknown persisted query hash', { extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } }, 'PERSISTED_QUERY_NOT_FOUND'),
  json('a persisted query hash that does not match its query', { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'cd'.repeat(32) } } }, 'BAD_REQUEST'),
  query('a syntax error', '{ sessions( }', 'GRAPHQL_PARSE_FAILED'),
  query('a document of control characters', '{ \u0000\u0001\u0002 }', 'GRAPHQL_PARSE_FAILED'),
  query('an unterminated string', '{ sessions(from: "2026-10-01 ) { nodes { id } } }', 'GRAPHQL_PARSE_FAILED'),
  // Bodies
  { name: 'a body over the size limit', headers: JSON_HEADERS, body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(70_000)}` }), code: 'PAYLOAD_TOO_LARGE' },
  { name: 'malformed JSON', headers: JSON_HEADERS, body: '{"query": "{ __typename }"', code: 'BAD_REQUEST' },
  { name: 'an empty JSON body', headers: JSON_HEADERS, body: '' },
  { name: 'a JSON null body', headers: JSON_HEADERS, body: 'null' },
  { name: 'a JSON string body', headers: JSON_HEADERS, body: '"{ __typename }"' },
  { name: 'an empty JSON object', headers: JSON_HEADERS, body: '{}' },
  json('a query that is a number', { query: 42 }),
  json('variables that are a string', { query: '{ __typename }', variables: 'x' }),
  json('extensions that are a list', { query: '{ __typename }', extensions: [1] }),
  { name: 'a batch while batching is off', headers: JSON_HEADERS, body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) },
  { name: 'a prototype-polluting body', headers: JSON_HEADERS, body: '{"query":"{ __typename }","__proto__":{"admin":true}}', code: 'BAD_REQUEST' },
  { name: 'a constructor-prototype body', headers: JSON_HEADERS, body: '{"query":"{ __typename }","constructor":{"prototype":{"admin":true}}}', code: 'BAD_REQUEST' },
  { name: 'invalid UTF-8 bytes', headers: JSON_HEADERS, body: Buffer.from([0x7b, 0x22, 0x71, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
  { name: 'a gzip body the gateway does not inflate', headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, body: Buffer.from('1f8b0800000000000003abce4c2db5', 'hex'), code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'a plain body labelled brotli', headers: { ...JSON_HEADERS, 'content-encoding': 'br' }, body: '{"query":"{ __typename }"}', code: 'UNSUPPORTED_MEDIA_TYPE' },
  // Content types and charsets
  { name: 'text/plain (a CSRF simple request)', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' },
  { name: 'a form post', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B__typename%7D', code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'multipart form data', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ __typename }\r\n--x--', code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'XML', headers: { 'content-type': 'application/xml' }, body: '<query>{ __typename }</query>', code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'JSON in UTF-16', headers: { 'content-type': 'application/json; charset=utf-16' }, body: Buffer.from('{"query":"{ __typename }"}', 'utf16le') },
  { name: 'JSON in an unknown charset', headers: { 'content-type': 'application/json; charset=klingon' }, body: '{"query":"{ __typename }"}', code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'JSON declared Latin-1', headers: { 'content-type': 'application/json; charset=iso-8859-1' }, body: Buffer.from('{"query":"{ sessions(from: \"2026-10-01\", to: \"2026-10-31\", sessionName: \"caf\u00e9\") { nodes { id } } }"}', 'latin1'), code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'no content type', headers: {}, body: '{"query":"{ __typename }"}' },
  { name: 'an Accept the gateway cannot answer', headers: { ...JSON_HEADERS, accept: 'text/csv' }, body: '{"query":"{ __typename }"}' },
  // Methods and CSRF
  { name: 'a GET mutation', method: 'GET', path: '/graphql?query=mutation%20%7B%20x%20%7D', headers: { 'apollo-require-preflight': 'true' } },
  { name: 'a CSRF-style GET without a preflight header', method: 'GET', path: '/graphql?query=%7B__typename%7D' },
  { name: 'a GET with a malformed variables parameter', method: 'GET', path: '/graphql?query=%7B__typename%7D&variables=%7Bnope', headers: { 'apollo-require-preflight': 'true' } },
  { name: 'a GET without a query', method: 'GET', path: '/graphql?foo=bar', headers: { 'apollo-require-preflight': 'true' } },
  { name: 'PUT', method: 'PUT', headers: JSON_HEADERS, body: '{"query":"{ __typename }"}' },
  { name: 'DELETE', method: 'DELETE' },
  { name: 'an unknown route', path: '/graphql/../admin', headers: JSON_HEADERS, body: '{"query":"{ __typename }"}' },
];
