// The installable app's shell over HTTP: the manifest and its icons, the service worker script,
// and the offline page the service worker caches.
import vm from 'node:vm';
import request from 'supertest';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildClient } from '../e2e/server.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';

const t = useTestDb();

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose: string;
}

/** A PNG's width and height, from its IHDR chunk (the first one, right after the signature). */
function pngSize(body: Buffer): { width: number; height: number } {
  expect(body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(body.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: body.readUInt32BE(16), height: body.readUInt32BE(20) };
}

const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

async function fetchPng(app: ReturnType<typeof createTestApp>, url: string) {
  const res = await request(app).get(url).buffer(true).parse(binary).expect(200);
  expect(res.headers['content-type']).toBe('image/png');
  return pngSize(res.body as Buffer);
}

/**
 * The built service worker run in a bare V8 context that plays its global scope: it registers its
 * listeners, and `handles` sends it one GET and says whether it answered (respondWith). Whatever
 * it would put in a cache is recorded in `stored`; the network is never reached.
 */
function runServiceWorker(script: string) {
  const listeners = new Map<string, (event: unknown) => void>();
  const stored: string[] = [];
  const cache = { put: async (req: { url: string }) => stored.push(req.url), addAll: async () => {}, match: async () => undefined };
  const self = {
    location: { origin: 'https://stereodose.test' },
    addEventListener: (type: string, listener: (event: unknown) => void) => listeners.set(type, listener),
    skipWaiting: async () => {},
    clients: { claim: async () => {} },
  };
  const caches = { open: async () => cache, keys: async () => [], delete: async () => true, match: async () => undefined };
  const context = vm.createContext({ self, caches, URL, Request: class {}, Response: { error: () => ({}) }, fetch: () => new Promise(() => {}) });
  vm.runInContext(script, context);
  const fetchListener = listeners.get('fetch');
  expect(fetchListener).toBeDefined();
  return {
    stored,
    handles(path: string, mode: 'navigate' | 'cors'): boolean {
      let answered = false;
      fetchListener!({ request: { url: `https://stereodose.test${path}`, method: 'GET', mode }, respondWith: () => (answered = true) });
      return answered;
    },
  };
}

describe('the web app manifest', () => {
  it('when the manifest is asked for, then it answers application/manifest+json with what an installed app needs', async () => {
    const res = await request(createTestApp(t.db)).get('/manifest.webmanifest').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/manifest\+json/);
    const manifest = JSON.parse(res.text);
    expect(manifest).toMatchObject({
      id: '/',
      name: 'Stereodose',
      short_name: 'Stereodose',
      start_url: '/?source=pwa',
      scope: '/',
      display: 'standalone',
      theme_color: '#0f0d17',
      background_color: '#0f0d17',
    });
    expect(manifest.description).toEqual(expect.any(String));
    const icons = manifest.icons as ManifestIcon[];
    for (const purpose of ['any', 'maskable']) {
      expect(icons.filter((i) => i.purpose === purpose).map((i) => i.sizes)).toEqual(['192x192', '512x512']);
    }
  });

  it('when each icon the manifest lists is fetched, then it is a PNG of the size the manifest declares', async () => {
    const app = createTestApp(t.db);
    const { icons } = JSON.parse((await request(app).get('/manifest.webmanifest')).text) as { icons: ManifestIcon[] };
    expect(icons).toHaveLength(4);
    for (const icon of icons) {
      expect(icon.type).toBe('image/png');
      const { width, height } = await fetchPng(app, icon.src);
      expect(`${width}x${height}`).toBe(icon.sizes);
    }
  });

  it('when a page is served, then its head links the manifest, the theme colour and a 180 px apple touch icon', async () => {
    const app = createTestApp(t.db);
    const page = (await request(app).get('/').expect(200)).text;
    const { theme_color } = JSON.parse((await request(app).get('/manifest.webmanifest')).text);
    expect(page).toContain('<link rel="manifest" href="/manifest.webmanifest">');
    expect(page).toContain(`<meta name="theme-color" content="${theme_color}">`);
    const touchIcon = page.match(/<link rel="apple-touch-icon" href="([^"]+)">/)?.[1];
    expect(touchIcon).toBeDefined();
    expect(await fetchPng(app, touchIcon!)).toEqual({ width: 180, height: 180 });
  });
});

describe('the service worker', () => {
  beforeAll(buildClient, 60_000);

  it('when /sw.js is asked for, then it answers JavaScript that the browser must revalidate, naming its versioned cache', async () => {
    const res = await request(createTestApp(t.db)).get('/sw.js').expect(200);
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toMatch(/stereodose-shell-/);
    expect(res.text).toMatch(/\b[0-9a-f]{12}\b/);
    expect(res.text).toContain('"/offline"');
  });

  it('when the service worker sees a GET of a private page or answer, then it leaves it to the network: it neither answers nor stores it', async () => {
    const script = (await request(createTestApp(t.db)).get('/sw.js').expect(200)).text;
    const worker = runServiceWorker(script);
    const left = [
      '/account',
      '/account/export',
      '/me/history',
      '/me/hidden',
      '/favorites',
      '/favorites/play',
      '/my/playlists',
      '/my/playlists/7',
      '/admin',
      '/admin/songs',
      '/login',
      '/register',
      '/api/favorites/playlist',
      '/api/playlists/weed/groovin?radio=1',
      '/rest/getStarred2.view',
      '/media/demo/weed-groovin-01.wav',
    ];
    for (const path of left) {
      for (const mode of ['navigate', 'cors'] as const) expect([path, mode, worker.handles(path, mode)]).toEqual([path, mode, false]);
    }
    // The same worker does answer a public page visit (network first) and the shell: it is listening.
    expect(worker.handles('/playlist/weed/groovin', 'navigate')).toBe(true);
    expect(worker.handles('/offline', 'navigate')).toBe(true);
    expect(worker.stored).toEqual([]);
  });

  it('when any page is served, then the Content-Security-Policy allows workers and the manifest from the site itself', async () => {
    const csp = (await request(createTestApp(t.db)).get('/offline').expect(200)).headers['content-security-policy'];
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("manifest-src 'self'");
  });
});

describe('the offline page', () => {
  it('when /offline is asked for, then it answers 200 with the offline message and sets no cookie', async () => {
    const res = await request(createTestApp(t.db)).get('/offline').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).toContain('You’re offline');
    expect(res.text).toContain('href="">Try again</a>');
  });

  it('when the database refuses connections, then /offline still renders, as it reads nothing from it', async () => {
    const app = createTestApp(t.db);
    const refusal = vi.spyOn(t.db.client as { acquireConnection(): Promise<unknown> }, 'acquireConnection').mockRejectedValue(new Error('ECONNREFUSED'));
    try {
      const res = await request(app).get('/offline').expect(200);
      expect(res.text).toContain('You’re offline');
      expect(refusal).not.toHaveBeenCalled();
    } finally {
      refusal.mockRestore();
    }
  });
});
