import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isUtf8 } from 'node:buffer';
import { sendError } from './error-body';
import { hostProblem } from './host-header';
import { lingerOnUnreadBody } from './unread-body';
import { originMatches } from './origin';
import { isWellFormedJson, isWellFormedText } from '../well-formed-text';

/**
 * Text that is not Unicode never reaches the graph: invalid UTF-8 would be decoded to U+FFFD
 * and a lone surrogate (a JSON escape like "\ud800") kept as is, and either would then go to
 * Zoom as a filter. Both are refused as BAD_USER_INPUT before any resolver runs.
 */
export const NOT_UNICODE_MESSAGE = 'The request holds text that is not valid Unicode (invalid UTF-8, or a lone surrogate escape such as "\\ud800"): send UTF-8 JSON.';

/** The bytes a query string stands for once its %XX escapes are undone (form `+` is a space, also ASCII). */
export function percentDecodedBytes(search: string): Buffer {
  const bytes: number[] = [];
  for (let at = 0; at < search.length; at += 1) {
    const hex = search[at] === '%' ? search.slice(at + 1, at + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      at += 2;
    } else {
      bytes.push(...Buffer.from(search[at], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** JSON-valued GET parameters (GraphQL over HTTP): the query text itself is checked by graphql-js. */
const JSON_PARAMETERS = ['variables', 'extensions'];

export function isWellFormedSearch(search: string): boolean {
  if (!isUtf8(percentDecodedBytes(search))) return false;
  const params = new URLSearchParams(search);
  for (const [name, value] of params) {
    if (!isWellFormedText(name) || !isWellFormedText(value)) return false;
    if (!JSON_PARAMETERS.includes(name)) continue;
    try {
      if (!isWellFormedJson(JSON.parse(value))) return false;
    } catch {
      // Malformed JSON is Apollo's to refuse, with its own message.
    }
  }
  return true;
}

class NotUnicodeError extends Error {
  readonly statusCode = 400;
  readonly graphqlCode = 'BAD_USER_INPUT';
  constructor() {
    super(NOT_UNICODE_MESSAGE);
  }
}

function refuseGet(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  const queryStart = request.url.indexOf('?');
  if (queryStart < 0 || isWellFormedSearch(request.url.slice(queryStart + 1))) return undefined;
  return sendError(reply, 400, NOT_UNICODE_MESSAGE, 'BAD_USER_INPUT');
}

/** JSON is UTF-8 (RFC 8259); a body declared in another charset would be misread, so it is refused. */
function declaresForeignCharset(request: FastifyRequest): boolean {
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(request.headers['content-type'] ?? '')?.[2];
  return charset !== undefined && charset.toLowerCase() !== 'utf-8' && charset.toLowerCase() !== 'utf8';
}

/**
 * Before a body is read, on every route (GraphQL, event streams, webhooks): one in another charset would be misread,
 * and a compressed one (the gateway does not inflate request bodies) would fail as bad JSON or be taken as plain.
 */
function refuseBodyForm(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  // The body is not read: what is still on its way gets a moment (unread-body.ts), not the time to drain a body of any size.
  const refuse = (message: string) => sendError(lingerOnUnreadBody(request, reply), 415, message, 'UNSUPPORTED_MEDIA_TYPE');
  if (declaresForeignCharset(request)) return refuse('Send the body as UTF-8 JSON.');
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') return refuse(`Send the body uncompressed: Content-Encoding ${JSON.stringify(encoding)} is not supported.`);
  return undefined;
}

/** A request without one Host header (host-header.ts) is refused, and its socket closed: its body, if any, is never read. */
export function requireHost(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  const problem = hostProblem(request.raw);
  if (problem === undefined) return undefined;
  return sendError(reply.header('connection', 'close'), 400, problem, 'BAD_REQUEST');
}

/** Replaces fastify's JSON parser with one that checks the bytes first, and checks GET parameters alike. */
export function registerWellFormedInput(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    if (!isUtf8(body)) {
      done(new NotUnicodeError(), undefined);
      return;
    }
    parseJson(request, body.toString('utf8'), (error: Error | null, value?: unknown) => {
      if (error) done(error, undefined);
      else if (!isWellFormedJson(value)) done(new NotUnicodeError(), undefined);
      else done(null, value);
    });
  });
  app.addHook('onRequest', async (request, reply) => requireHost(request, reply) ?? (request.method === 'GET' ? refuseGet(request, reply) : refuseBodyForm(request, reply)));
}

/**
 * OPTIONS is a browser's preflight: one without Origin and Access-Control-Request-Method (or for `*`)
 * is refused, as @fastify/cors's strict mode refuses it, and so is one from an origin outside
 * CORS_ORIGINS, each in GraphQL's shape: left to the route, the latter got Apollo's CSRF refusal,
 * which names the wrong cause to whoever reads the browser's network tab.
 */
export function refuseStrayOptions(app: FastifyInstance, corsOrigins: readonly string[]): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'OPTIONS') return undefined;
    const { origin } = request.headers;
    if (request.url !== '*' && origin !== undefined && request.headers['access-control-request-method'] !== undefined) {
      if (corsOrigins.some((entry) => originMatches(entry, origin))) return undefined;
      return sendError(reply, 403, `This origin may not call the gateway from a browser: ${corsOrigins.length === 0 ? 'CORS_ORIGINS is empty' : 'it is not in CORS_ORIGINS'}.`, 'FORBIDDEN');
    }
    const message =
      request.url === '*'
        ? 'OPTIONS * is not served: send a CORS preflight to the route it is for.'
        : 'OPTIONS here is a CORS preflight: it needs Origin and Access-Control-Request-Method headers.';
    return sendError(reply, 400, message, 'BAD_REQUEST');
  });
}
