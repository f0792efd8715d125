import type { FastifyInstance } from 'fastify';
import type { GatewayCore } from '../gateway';

/**
 * `/healthz`: the process answers. `/readyz`: the schema is built and config valid, so the
 * instance can take traffic; it reports Zoom's breaker and budget but does not fail on them,
 * since an outage at Zoom must not pull every instance out of the load balancer. Credentials Zoom
 * refused (401) do fail it, with the reason, until a call succeeds: no query can succeed until an
 * operator fixes them. Redis down is `degraded`, still 200: the instance serves from its
 * in-process tiers and local budget.
 */
export function registerHealthRoutes(app: FastifyInstance, core: GatewayCore, isStopping: () => boolean): void {
  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const budget = await core.governor.snapshot('resource-intensive');
    const auth = core.zoomAuth.current();
    const ready = !isStopping() && auth.status === 'ok';
    const body = {
      status: isStopping() ? 'stopping' : auth.status === 'ok' ? 'ready' : 'zoom_auth_failing',
      schema: 'built',
      zoom: {
        auth,
        breaker: core.breaker.state(),
        listSessionsBudget: { limit: budget.limit, usedInWindow: budget.used, left: Math.max(0, budget.limit - budget.used), queued: budget.queued, pausedForMs: budget.pausedForMs },
        dailyUsed: budget.dailyUsed,
      },
      ...(core.redis ? { redis: core.redis.health() } : {}),
    };
    return reply.code(ready ? 200 : 503).header('cache-control', 'no-store').send(body);
  });
}
