import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { rateLimitedLog } from '../rate-limited-log';
import { refuseOtherMethods, sendError } from './error-body';
import { isWellFormedJson } from '../well-formed-text';
import type { LiveFeed } from '../live/live-feed';
import { checkWebhookSignature, urlValidationAnswer } from '../live/webhook-signature';
import { SpanKind, inSpan } from '../tracing/spans';

export const WEBHOOK_PATH = '/webhooks/zoom';
/** Zoom retries on its own schedule (docs/zoom-contract.md §6); the header is for any other sender. */
const JOURNAL_FULL_RETRY_AFTER_S = 60;

export interface WebhookRouteOptions {
  readonly secretToken: string;
  readonly bodyLimitBytes: number;
  readonly feed: LiveFeed;
  readonly now: () => number;
}

function header(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Refused webhooks logged a minute, at most: anyone who reaches the route can send unsigned ones (all are counted in the metric). */
export const REFUSED_WEBHOOKS_LOGGED_PER_MINUTE = 60;

/**
 * POST /webhooks/zoom. Not behind client credentials (Zoom cannot send them) but behind Zoom's
 * signature, checked on the raw bytes before anything is parsed; an event is acknowledged (Zoom
 * waits 3 s, then retries) once the feed has taken it: applied, or kept on disk until the shared
 * state can take it.
 */
export async function registerWebhookRoute(app: FastifyInstance, options: WebhookRouteOptions): Promise<void> {
  const { secretToken, feed } = options;
  const refusedLog = rateLimitedLog((details, message) => app.log.warn(details, message), REFUSED_WEBHOOKS_LOGGED_PER_MINUTE, 60_000, options.now);
  refuseOtherMethods(app, WEBHOOK_PATH, ['POST']);
  await app.register(async (scope) => {
    // The signature covers the bytes as sent: the body must reach the check unparsed.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes }, (_request, body, done) => done(null, body));
    // A webhook's trace starts here: its application and every instance's delivery to subscribers continue it.
    scope.post(WEBHOOK_PATH, { bodyLimit: options.bodyLimitBytes }, (request, reply) =>
      inSpan(`POST ${WEBHOOK_PATH}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'url.path': WEBHOOK_PATH, 'request.id': request.id } }, async (span) => {
        const answered = await receiveWebhook(request, reply);
        span.setAttribute('http.response.status_code', reply.statusCode);
        return answered;
      }),
    );
  });

  async function receiveWebhook(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const check = checkWebhookSignature(
      secretToken,
      { signature: header(request.headers['x-zm-signature']), timestamp: header(request.headers['x-zm-request-timestamp']), rawBody },
      options.now(),
    );
    if (!check.ok) {
      feed.metrics.webhooks.inc({ outcome: 'unsigned' });
      refusedLog({ reqId: request.id, reason: check.reason }, 'webhook refused');
      return sendError(reply, 401, `The webhook is not signed by Zoom: ${check.reason}.`, 'UNAUTHENTICATED');
    }
    let body: unknown;
    try {
      // Bytes that are not UTF-8 would be read as U+FFFD: the event (or a url_validation's token) would not be what Zoom sent.
      if (!isUtf8(rawBody)) throw new Error('not UTF-8');
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return sendError(reply, 400, 'The webhook body is not UTF-8 JSON.', 'BAD_REQUEST');
    }
    const envelope = typeof body === 'object' && body !== null ? (body as { event?: unknown; payload?: { plainToken?: unknown } }) : {};
    if (envelope.event === 'endpoint.url_validation') {
      const plainToken = envelope.payload?.plainToken;
      // A lone surrogate would be hashed as U+FFFD and echoed as given: Zoom could not check the answer.
      if (typeof plainToken !== 'string' || plainToken === '' || plainToken.length > 1_024 || !isWellFormedJson(plainToken)) {
        return sendError(reply, 400, 'payload.plainToken is missing, or not a string of at most 1,024 Unicode characters.', 'BAD_REQUEST');
      }
      feed.metrics.webhooks.inc({ outcome: 'validation' });
      return reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify(urlValidationAnswer(secretToken, plainToken)));
    }
    // 200 only for an event the feed has taken (applied, or journalled until it can be); otherwise Zoom sends it again later.
    if (!(await feed.accept(body, (error: unknown) => request.log.error({ err: error }, 'webhook processing failed')))) {
      void reply.header('retry-after', String(JOURNAL_FULL_RETRY_AFTER_S));
      return sendError(reply, 503, 'The gateway cannot keep this event now: Zoom will send it again.', 'SERVICE_UNAVAILABLE');
    }
    return reply.code(200).type('application/json; charset=utf-8').send('{}');
  }
}
