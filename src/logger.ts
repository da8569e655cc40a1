import { type DestinationStream, pino, type Logger } from 'pino';

export type { Logger };

// Session cookies and credentials never reach the logs.
const redactPaths = ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.newPassword', '*.currentPassword'];

/** JSON lines to stdout, or to `destination` (tests read what the app's own logger writes). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' } }, destination);
}
