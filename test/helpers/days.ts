// Days as the `day` columns hold them: mysql2 gives a Date at UTC midnight, SQLite the stored text.
import { utcDay } from '../../src/lib/utc.js';

/** A `day` column's value as YYYY-MM-DD. */
export const storedDay = (value: unknown) => (value instanceof Date ? utcDay(value) : String(value));
