import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { GatewayMetrics } from '../metrics';
import { refuseOtherMethods, sendError } from './error-body';

function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

/** Prometheus text at /metrics, behind a bearer token when one is configured; `ownPort` when it is the only route of its port (no CORS there). */
export function registerMetricsRoute(app: FastifyInstance, metrics: GatewayMetrics, token: string | undefined, ownPort: boolean): void {
  refuseOtherMethods(app, '/metrics', ['GET'], ownPort ? ['OPTIONS'] : []);
  app.get('/metrics', async (request, reply) => {
    if (token !== undefined) {
      const given = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (given === undefined || !sameSecret(given, token)) {
        return sendError(reply.header('www-authenticate', 'Bearer'), 401, 'Metrics need the metrics bearer token.', 'UNAUTHENTICATED');
      }
    }
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
