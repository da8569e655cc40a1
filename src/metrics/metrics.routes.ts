// Serving the metrics, never to the public: on a port of their own (METRICS_PORT, bound to
// METRICS_HOST, loopback by default), and/or at /metrics on the site's port for a request that
// bears METRICS_TOKEN. Without either, /metrics is the site's 404.
import crypto from 'node:crypto';
import http from 'node:http';
import { Router, type RequestHandler } from 'express';
import { AppError, NotFound } from '../lib/errors.js';
import type { Metrics } from './metrics.js';

/** Times every request and counts it by route (its Express pattern, never the raw URL: bounded labels). */
export function observeRequests(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('close', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : req.originalUrl.startsWith('/static/') ? '/static' : 'unmatched';
      metrics.request(req.method, route, res.statusCode, (performance.now() - started) / 1000);
    });
    next();
  };
}

const sameToken = (given: string, expected: string) => {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
};

/** GET /metrics on the site's port: 404 unless the request bears the token (`Authorization: Bearer …`). */
export function createMetricsRouter({ metrics, token }: { metrics: Metrics; token: string }): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!given) throw new NotFound(`Nothing at ${req.path}`); // say nothing of metrics to the public
    if (!sameToken(given, token)) throw new AppError('forbidden', 403, 'Wrong metrics token');
    const { contentType, body } = await metrics.render();
    res.set('Cache-Control', 'no-store').type(contentType).send(body);
  });
  return router;
}

/** A server of its own for /metrics (METRICS_PORT); `render` may aggregate several workers. */
export function createMetricsServer(render: () => Promise<{ contentType: string; body: string }>): http.Server {
  return http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
      return;
    }
    render().then(
      ({ contentType, body }) => res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }).end(body),
      () => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics failed\n'),
    );
  });
}
