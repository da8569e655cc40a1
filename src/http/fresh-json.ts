// JSON for answers that are new every time (a random draw): express's res.json would hash each
// body for an ETag that can never match, so these go out as plain bytes with their length.
import type { Response } from 'express';

export function sendFreshJson(res: Response, body: unknown): void {
  const json = JSON.stringify(body);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}
