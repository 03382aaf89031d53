/**
 * Liveness and readiness. /healthz answers while the process runs (a restart is the only cure
 * when it does not); /readyz answers 503 while a dependency is unreachable or the process is
 * shutting down, so a load balancer stops sending traffic without restarting anything.
 */
import { Router } from 'express';

/** Resolves with null when ready, else a short reason ("database: connection refused"). */
export type ReadinessCheck = () => Promise<string | null>;

export function healthRouter(readiness: ReadinessCheck): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const reason = await readiness().catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
    res.set('Cache-Control', 'no-store');
    if (reason === null) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'unavailable', reason });
  });
  return router;
}
