import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../src/http/error-handler.js';
import { useEjsViews } from '../src/http/views.js';
import { demoTrackDuration } from '../src/media/demo-synth.js';
import { demoTrackUrl } from '../src/media/demo-tracks.js';
import { createCoverStore } from '../src/media/cover-store.js';
import { createDemoAudio } from '../src/media/demo-audio.js';
import { createFfmpeg } from '../src/media/ffmpeg.js';
import { createMediaRouter } from '../src/media/media.routes.js';
import { createMediaService } from '../src/media/media.service.js';

// The media router with the app's own error handler and views, and nothing else.
const app = express();
useEjsViews(app);
// No renders in this folder: every demo song is the synthesized WAV here.
const demo = createDemoAudio({ dir: path.join(os.tmpdir(), `stereodose-no-renders-${process.pid}`), ffmpeg: createFfmpeg('ffmpeg') });
app.use(createMediaRouter({ media: createMediaService({ uploadDir: os.tmpdir(), demo }), covers: createCoverStore(os.tmpdir()) }));
app.use(errorHandler);

const SEED = 'weed-groovin-07';
const URL = demoTrackUrl(SEED);
const SIZE = 44 + 22050 * 2 * demoTrackDuration(SEED);

/** supertest buffers audio/* bodies only when asked to. */
const get = (url: string) =>
  request(app)
    .get(url)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

describe('GET /media/demo/:file', () => {
  it('when a demo track is requested, then it is a whole immutable WAV file', async () => {
    const res = await get(URL);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('audio/wav');
    expect(res.headers['content-length']).toBe(String(SIZE));
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
    const body = res.body as Buffer;
    expect(body.length).toBe(SIZE);
    expect(body.toString('ascii', 0, 4)).toBe('RIFF');
  });

  it('when the same track is requested again, then the same bytes and ETag come back', async () => {
    const [a, b] = [await get(URL), await get(URL)];
    expect(a.headers.etag).toBe(b.headers.etag);
    expect((a.body as Buffer).equals(b.body as Buffer)).toBe(true);
  });

  it('when bytes=0-99 is requested, then exactly those 100 bytes come back as 206', async () => {
    const full = (await get(URL)).body as Buffer;
    const res = await get(URL).set('Range', 'bytes=0-99');
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 0-99/${SIZE}`);
    expect(res.headers['content-length']).toBe('100');
    expect((res.body as Buffer).equals(full.subarray(0, 100))).toBe(true);
  });

  it('when an open-ended range is requested, then the rest of the file comes back', async () => {
    const res = await get(URL).set('Range', `bytes=${SIZE - 1000}-`);
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${SIZE - 1000}-${SIZE - 1}/${SIZE}`);
    expect((res.body as Buffer).length).toBe(1000);
  });

  it('when a suffix range bytes=-10 is requested, then the last 10 bytes come back', async () => {
    const full = (await get(URL)).body as Buffer;
    const res = await get(URL).set('Range', 'bytes=-10');
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${SIZE - 10}-${SIZE - 1}/${SIZE}`);
    expect((res.body as Buffer).equals(full.subarray(SIZE - 10))).toBe(true);
  });

  it('when the range starts past the end, then 416 says how big the file is', async () => {
    const res = await get(URL).set('Range', 'bytes=999999999-');
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe(`bytes */${SIZE}`);
    expect(res.headers['cache-control']).toBeUndefined();
    expect((res.body as Buffer).length).toBe(0);
  });

  it('when several ranges are requested, then the whole file comes back as 200', async () => {
    const res = await get(URL).set('Range', 'bytes=0-9,500-599');
    expect(res.status).toBe(200);
    expect(res.headers['content-range']).toBeUndefined();
    expect((res.body as Buffer).length).toBe(SIZE);
  });

  it('when If-Range names another version, then the Range is ignored and the whole file comes back', async () => {
    const res = await get(URL).set('Range', 'bytes=0-99').set('If-Range', '"stale"');
    expect(res.status).toBe(200);
    expect((res.body as Buffer).length).toBe(SIZE);
  });

  it('when If-None-Match carries the current ETag, then 304 with no body', async () => {
    const { headers } = await get(URL);
    const res = await get(URL).set('If-None-Match', headers.etag!);
    expect(res.status).toBe(304);
    expect(res.headers.etag).toBe(headers.etag);
    expect((res.body as Buffer).length).toBe(0);
  });

  it('when If-None-Match carries another ETag, then the whole file comes back', async () => {
    const res = await get(URL).set('If-None-Match', '"something-else"');
    expect(res.status).toBe(200);
    expect((res.body as Buffer).length).toBe(SIZE);
  });

  it('when HEAD is used, then the headers describe the file but no body is sent', async () => {
    const res = await request(app).head(URL);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('audio/wav');
    expect(res.headers['content-length']).toBe(String(SIZE));
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.body).toEqual({});
    expect(res.text).toBeUndefined();
  });

  it.each(['..%2Fetc.wav', 'X.wav', 'weed-chill-01.mp3', 'weed--chill.wav', 'a-b-c-d-e-f-g-h.wav'])(
    'when the file name is %s, then 404: a JSON error for a JSON client, the error page for a browser',
    async (name) => {
      const json = await request(app).get(`/media/demo/${name}`).set('Accept', 'application/json');
      expect(json.status).toBe(404);
      expect(json.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
      const page = await request(app).get(`/media/demo/${name}`).set('Accept', 'text/html');
      expect(page.status).toBe(404);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('No such demo track');
    },
  );
});

describe('demoTrackUrl', () => {
  it('when given a seed, then it is the path the router serves', () => {
    expect(demoTrackUrl('lsd-trippy-02')).toBe('/media/demo/lsd-trippy-02.wav');
  });

  it('when given a seed the router would reject, then it throws instead of storing a dead URL', () => {
    expect(() => demoTrackUrl('Weed Chill')).toThrow(/Invalid demo track seed/);
  });
});
