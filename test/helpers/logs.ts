// The app's own logger (createLogger, redaction and all), writing into memory instead of stdout.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

/** A parsed log line: the request logger's fields, and whatever else was logged. */
export interface LogEntry {
  [field: string]: unknown;
  msg?: string;
  responseTime?: number;
  req?: { id?: string; method?: string; url?: string; headers?: Record<string, unknown> };
  res?: { statusCode?: number; headers?: Record<string, unknown> };
}

export interface CapturedLogs {
  logger: Logger;
  /** Everything written so far, as written. */
  text(): string;
  /** Every line so far, parsed. */
  entries(): LogEntry[];
}

export function captureLogs(level = 'info'): CapturedLogs {
  const chunks: string[] = [];
  const sink = new Writable({
    write: (chunk, _encoding, done) => {
      chunks.push(String(chunk));
      done();
    },
  });
  const text = () => chunks.join('');
  return {
    logger: createLogger(level, sink),
    text,
    entries: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogEntry),
  };
}
