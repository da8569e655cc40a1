// Work a request starts but does not wait for: mail, whose lookup and sending must show neither in
// the answer's words nor in its timing. It runs once the response has gone, and its outcome goes
// to the log under `field` (with `message`), or its failure as "`message` failed".
import type { Request, Response } from 'express';

export function afterResponse(req: Request, res: Response, { field, message }: { field: string; message: string }, work: () => Promise<unknown>): void {
  res.once('close', () => {
    work().then(
      (outcome) => req.log?.info({ [field]: outcome }, message),
      (err: unknown) => req.log?.error({ err }, `${message} failed`),
    );
  });
}
