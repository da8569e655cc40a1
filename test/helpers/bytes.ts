// A response's body as bytes: supertest leaves audio and images unparsed otherwise (it still
// gunzips what came gzipped).
import type request from 'supertest';

export const bytesOf = (req: request.Test) =>
  req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
