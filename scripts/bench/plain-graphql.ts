import { encodeNodeId } from '../../src/sessions/node-id';
import { Server, createServer } from 'node:http';
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  DocumentNode,
  execute,
  parse,
  validate,
} from 'graphql';
import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { signZoomJwt } from '../../src/zoom/auth';
import type { WireSession } from '../../src/zoom/wire';
import { toSession } from '../../src/sessions/session.type';

/**
 * The baseline the gateway is measured against: the `sessions` connection written by hand
 * with graphql-js on node:http. No type-graphql, no DataLoader, no Apollo Server, no cursor
 * signing, no rate governor: one resolver that reads a Zoom page (from a Map when `cache` is
 * on) and slices it. It asks Zoom for the same 300-session page the gateway asks for, so
 * both make the same upstream call. Like Apollo Server it keeps parsed, validated documents
 * in a Map: validation alone costs more than executing a 30-session page, and a baseline
 * without that cache would flatter the gateway.
 */


interface WirePage {
  next_page_token: string;
  sessions: WireSession[];
}

export interface PlainGraphqlOptions {
  /** The simulator's base URL, e.g. http://127.0.0.1:PORT/v2 */
  readonly zoomBaseUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly now: () => number;
  /** Keep each Zoom page in a Map forever (the bench runs for minutes); off: one Zoom call per request. */
  readonly cache: boolean;
}

const PAGE_SIZE = 300;


const encodeCursor = (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64url');
const decodeCursor = (cursor: string): number => Number(Buffer.from(cursor, 'base64url').toString().slice('offset:'.length)) + 1;
const day = (date: Date): string => date.toISOString().slice(0, 10);

function buildSchema(pageOf: (type: string, from: string, to: string) => Promise<WirePage>): GraphQLSchema {
  const Session = new GraphQLObjectType({
    name: 'Session',
    fields: {
      // The gateway's `id` is a global id and Zoom's is `sessionId`: the same query runs against both, and both answer the same bytes.
      id: { type: new GraphQLNonNull(GraphQLID), resolve: (session: { id: string }) => encodeNodeId({ type: 'Session', sessionId: session.id }) },
      sessionId: { type: new GraphQLNonNull(GraphQLID), resolve: (session: { id: string }) => session.id },
      sessionName: { type: new GraphQLNonNull(GraphQLString) },
      sessionKey: { type: GraphQLString },
      startTime: { type: new GraphQLNonNull(DateTimeResolver) },
      endTime: { type: DateTimeResolver },
      duration: { type: GraphQLString },
      durationSeconds: { type: GraphQLInt },
      userCount: { type: new GraphQLNonNull(GraphQLInt) },
      hasVoip: { type: new GraphQLNonNull(GraphQLBoolean) },
      hasVideo: { type: new GraphQLNonNull(GraphQLBoolean) },
      hasScreenShare: { type: new GraphQLNonNull(GraphQLBoolean) },
      hasRecording: { type: new GraphQLNonNull(GraphQLBoolean) },
      hasPstn: { type: new GraphQLNonNull(GraphQLBoolean) },
      hasSessionSummary: { type: new GraphQLNonNull(GraphQLBoolean) },
      audioQuality: { type: GraphQLString },
      videoQuality: { type: GraphQLString },
      screenShareQuality: { type: GraphQLString },
    },
  });
  const SessionEdge = new GraphQLObjectType({
    name: 'SessionEdge',
    fields: { cursor: { type: new GraphQLNonNull(GraphQLString) }, node: { type: new GraphQLNonNull(Session) } },
  });
  const PageInfo = new GraphQLObjectType({
    name: 'PageInfo',
    fields: {
      hasNextPage: { type: new GraphQLNonNull(GraphQLBoolean) },
      hasPreviousPage: { type: new GraphQLNonNull(GraphQLBoolean) },
      startCursor: { type: GraphQLString },
      endCursor: { type: GraphQLString },
    },
  });
  const SessionConnection = new GraphQLObjectType({
    name: 'SessionConnection',
    fields: {
      edges: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(SessionEdge))) },
      nodes: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(Session))) },
      pageInfo: { type: new GraphQLNonNull(PageInfo) },
    },
  });
  const SessionType = new GraphQLEnumType({ name: 'SessionType', values: { LIVE: { value: 'live' }, PAST: { value: 'past' } } });
  const Query = new GraphQLObjectType({
    name: 'Query',
    fields: {
      sessions: {
        type: new GraphQLNonNull(SessionConnection),
        args: {
          type: { type: SessionType, defaultValue: 'live' },
          from: { type: new GraphQLNonNull(DateResolver) },
          to: { type: new GraphQLNonNull(DateResolver) },
          first: { type: GraphQLInt, defaultValue: 30 },
          after: { type: GraphQLString },
        },
        async resolve(_root, args: { type: string; from: Date; to: Date; first: number; after?: string | null }) {
          const page = await pageOf(args.type, day(args.from), day(args.to));
          const start = args.after ? decodeCursor(args.after) : 0;
          const edges = page.sessions.slice(start, start + args.first).map((wire, index) => ({ cursor: encodeCursor(start + index), node: toSession(wire) }));
          return {
            edges,
            nodes: edges.map((edge) => edge.node),
            pageInfo: {
              hasNextPage: start + edges.length < page.sessions.length || page.next_page_token !== '',
              hasPreviousPage: start > 0,
              startCursor: edges[0]?.cursor ?? null,
              endCursor: edges[edges.length - 1]?.cursor ?? null,
            },
          };
        },
      },
    },
  });
  return new GraphQLSchema({ query: Query });
}

export function startPlainGraphql(options: PlainGraphqlOptions): Promise<Server> {
  const pages = new Map<string, WirePage>();
  let jwt = '';
  let jwtExpiresMs = 0;
  const fetchPage = async (type: string, from: string, to: string): Promise<WirePage> => {
    if (options.now() > jwtExpiresMs) {
      jwt = signZoomJwt(options.apiKey, options.apiSecret, Math.floor(options.now() / 1000), 3600);
      jwtExpiresMs = options.now() + 1_800_000;
    }
    const response = await fetch(`${options.zoomBaseUrl}/videosdk/sessions?type=${type}&from=${from}&to=${to}&page_size=${PAGE_SIZE}`, {
      headers: { authorization: `Bearer ${jwt}` },
    });
    if (!response.ok) throw new Error(`Zoom answered ${response.status}`);
    return (await response.json()) as WirePage;
  };
  const pageOf = async (type: string, from: string, to: string): Promise<WirePage> => {
    if (!options.cache) return fetchPage(type, from, to);
    const key = `${type}|${from}|${to}`;
    let page = pages.get(key);
    if (page === undefined) {
      page = await fetchPage(type, from, to);
      pages.set(key, page);
    }
    return page;
  };
  const schema = buildSchema(pageOf);
  const documents = new Map<string, DocumentNode | Error>();
  const documentFor = (source: string): DocumentNode | Error => {
    let document = documents.get(source);
    if (document === undefined) {
      try {
        const parsed = parse(source);
        const errors = validate(schema, parsed);
        document = errors.length === 0 ? parsed : new Error(errors.map((error) => error.message).join(' '));
      } catch (error) {
        document = error instanceof Error ? error : new Error(String(error));
      }
      documents.set(source, document);
    }
    return document;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = (status: number, payload: string) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
        res.end(payload);
      };
      let request: { query?: string; variables?: Record<string, unknown>; operationName?: string };
      try {
        request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof request;
      } catch {
        reply(400, JSON.stringify({ errors: [{ message: 'The body is not JSON.' }] }));
        return;
      }
      const document = documentFor(request.query ?? '');
      if (document instanceof Error) {
        reply(400, JSON.stringify({ errors: [{ message: document.message }] }));
        return;
      }
      Promise.resolve(execute({ schema, document, variableValues: request.variables, operationName: request.operationName }))
        .then((result) => reply(result.data ? 200 : 400, JSON.stringify(result)))
        .catch((error: unknown) => reply(500, JSON.stringify({ errors: [{ message: String(error) }] })));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
