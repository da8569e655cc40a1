// Reading a datetime column back on either database: mysql2 gives a Date (UTC: timezone 'Z', and
// every connection's time_zone is +00:00); SQLite gives what was stored — the milliseconds knex
// wrote for a Date, or CURRENT_TIMESTAMP's text, which is UTC without saying so.

/** The moment a datetime column holds. */
export function readTimestamp(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}
