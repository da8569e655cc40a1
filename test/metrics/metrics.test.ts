// /metrics: the Prometheus text format, never public — behind METRICS_TOKEN on the site's port,
// or on METRICS_PORT of its own — with what operators watch: requests by route and status,
// draws and their statements, the pool, the node answering, plays buffered and flushed, rate-limit
// rejections and the process.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { startServer } from '../../src/server.js';
import { testConfig } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { waitFor } from '../helpers/wait.js';

const t = useTestDb();
const TOKEN = 'metrics-token-metrics-token-metrics-token';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the text exposition format: `# HELP`/`# TYPE` lines, then `name{label="value",…} number`. */
function parseMetrics(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

const sum = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((total, s) => total + s.value, 0);

describe('/metrics', () => {
  it('when no token is configured, then /metrics is the site’s 404', async () => {
    const app = createApp({ config: testConfig, db: t.db });
    expect((await request(app).get('/metrics')).status).toBe(404);
  });

  it('when a token is configured, then /metrics is 404 without it, 403 with a wrong one, and the text format with it', async () => {
    const metrics = createMetrics();
    const app = createApp({ config: { ...testConfig, metrics: { host: '127.0.0.1', token: TOKEN } }, db: t.db, metrics });
    expect((await request(app).get('/metrics')).status).toBe(404);
    expect((await request(app).get('/metrics').set('Authorization', 'Bearer wrong')).status).toBe(403);
    const res = await request(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
    const { types } = parseMetrics(res.text);
    expect(types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });

  it('when listeners draw, play and are refused, then requests, draws, statements, pool, plays and rejections are counted', async () => {
    const genre = await makeGenre(t.db);
    const [songId] = await makeSongs(t.db, genre.genreId, 12);
    const metrics = createMetrics();
    const config = { ...testConfig, playsFlushMs: 50, metrics: { host: '127.0.0.1', token: TOKEN } };
    const app = createApp({ config, db: t.db, metrics });
    const api = `/api/playlists/${genre.drugSlug}/${genre.moodSlug}`;
    for (let i = 0; i < 3; i++) expect((await request(app).get(api)).status).toBe(200);
    expect((await request(app).get(`/playlist/${genre.drugSlug}/${genre.moodSlug}`)).status).toBe(200);
    for (let i = 0; i < 121; i++) await request(app).post('/api/plays').send({ songId });
    // The plays are written by the next flush (every 50 ms): read the metrics once it has happened.
    const scrape = async () => parseMetrics((await request(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).text);
    const { samples, types } = await waitFor(
      async () => {
        const scraped = await scrape();
        return sum(scraped.samples, 'stereodose_plays_flushed_total') === 120 ? scraped : undefined;
      },
      { timeoutMs: 5000, why: () => 'for the plays to be flushed' },
    );
    expect(sum(samples, 'stereodose_http_requests_total', { route: '/api/playlists/:drug/:mood', status: '200', method: 'GET' })).toBe(3);
    expect(sum(samples, 'stereodose_http_requests_total', { route: '/api/plays', status: '204' })).toBe(120);
    expect(sum(samples, 'stereodose_http_requests_total', { route: '/api/plays', status: '429' })).toBe(1);
    expect(sum(samples, 'stereodose_rate_limited_total', { route: '/api/plays' })).toBe(1);
    expect(types.get('stereodose_http_request_duration_seconds')).toBe('histogram');
    expect(sum(samples, 'stereodose_http_request_duration_seconds_count', { route: '/api/playlists/:drug/:mood' })).toBe(3);
    expect(sum(samples, 'stereodose_draws_total')).toBe(4);
    expect(sum(samples, 'stereodose_draw_statements_total')).toBeGreaterThanOrEqual(4);
    expect(sum(samples, 'stereodose_draw_statement_duration_seconds_count')).toBe(sum(samples, 'stereodose_draw_statements_total'));
    expect(samples.some((s) => s.name === 'stereodose_db_pool_connections' && s.labels.pool === 'write' && s.labels.state === 'used')).toBe(true);
    expect(sum(samples, 'stereodose_db_pool_acquire_wait_seconds_count', { pool: 'write' })).toBeGreaterThan(0);
    expect(sum(samples, 'stereodose_plays_flushed_total')).toBe(120);
    expect(sum(samples, 'stereodose_plays_flushes_total', { result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sum(samples, 'stereodose_plays_buffered')).toBe(0);
  });

  it('when METRICS_PORT is set, then the metrics are served there, with the node answering the app, and not on the site’s port', async () => {
    const metrics = createMetrics();
    const config = { ...testConfig, port: 0, metrics: { port: 0, host: '127.0.0.1' } };
    const running = await startServer({ config, db: t.db, logger: createLogger('silent'), lifecycle: { shuttingDown: false }, metrics });
    try {
      const site = `http://127.0.0.1:${running.port}`;
      expect((await request(site).get('/metrics')).status).toBe(404);
      const res = await request(`http://127.0.0.1:${running.metricsPort}`).get('/metrics');
      expect(res.status).toBe(200);
      const { samples } = parseMetrics(res.text);
      expect(samples.some((s) => s.name === 'process_resident_memory_bytes')).toBe(true);
      if (t.config.client === 'mysql') {
        const ready = samples.find((s) => s.name === 'stereodose_db_node_ready' && s.labels.pool === 'write');
        expect(ready?.labels.node).toMatch(/:\d+$/);
      }
      expect((await request(`http://127.0.0.1:${running.metricsPort}`).get('/')).status).toBe(404);
    } finally {
      await running.close(); // closes t.db too: this is the file’s last test
    }
  });
});
