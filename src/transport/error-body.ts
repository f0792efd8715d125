import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { lingerOnUnreadBody } from './unread-body';

/** Every answer the HTTP layer itself gives is shaped like a GraphQL error, with a stable code. */
export function errorBody(message: string, code: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ errors: [{ message, extensions: { code, ...extra } }] });
}

const CODES_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'CLIENT_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'HEADERS_TOO_LARGE',
  503: 'SERVICE_UNAVAILABLE',
};

/** Sends a refusal in GraphQL's error shape; headers it needs besides (`allow`, `connection`) are set on the reply first. */
export function sendError(reply: FastifyReply, status: number, message: string, code: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(errorBody(message, code, extra));
}

/** The code of an HTTP refusal that names none. */
export function codeForStatus(status: number): string {
  return CODES_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');
}

/**
 * Fastify's own refusals (body too large, bad JSON, unknown content type) keep their 4xx status
 * but speak GraphQL; anything else is a 500 whose cause is logged, never sent.
 */
export function httpErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) request.log.error({ err: error }, 'unhandled HTTP error');
  const message = status === 500 ? 'Internal server error' : error.message.replace(/^FST_\w+: /, '');
  // A refusal that knows its GraphQL code (a body parser's) keeps it.
  const known = status === 500 ? undefined : (error as FastifyError & { graphqlCode?: unknown }).graphqlCode;
  void sendError(reply, status, message, typeof known === 'string' ? known : codeForStatus(status));
}

/** A route nobody serves, with where to go instead (`hint`). */
export function notFoundHandler(hint: string): (request: FastifyRequest, reply: FastifyReply) => void {
  return (_request, reply) => void sendError(reply, 404, `No such route: ${hint}`, 'NOT_FOUND');
}

/**
 * Methods a client may send to a route that does not take them: every method fastify routes, but
 * HEAD, which goes with GET, and OPTIONS, which goes with CORS (`also` adds it where CORS is not served).
 */
const REFUSED_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'TRACE', 'QUERY'];

/**
 * The other methods a route does not take get 405 with `Allow`, rather than the 404 of a route that
 * does not exist. They are refused before any body is read or parsed (unread-body.ts).
 */
export function refuseOtherMethods(app: FastifyInstance, url: string, allow: readonly string[], also: readonly string[] = []): void {
  const refuse = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    sendError(lingerOnUnreadBody(request, reply).header('allow', allow.join(', ')), 405, `${url} takes ${allow.join(' or ')}.`, 'METHOD_NOT_ALLOWED');
  // The route's own onRequest answers; the handler is what fastify asks of every route, and the same refusal.
  app.route({ url, method: [...REFUSED_METHODS, ...also].filter((method) => !allow.includes(method)), onRequest: refuse, handler: refuse });
}
