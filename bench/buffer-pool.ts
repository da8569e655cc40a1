// The one server setting that moves every figure at 1M songs: whether the catalog's pages fit in
// InnoDB's buffer pool. MariaDB's default is 128 MB; a 1M catalog is ~310 MB, so with the default
// each draw reads most of its pages from the OS cache again, and that I/O (not the engine, not
// the app) is most of the database's CPU. Production (docker-compose.yml) runs with 1 GB, so the
// benchmarks do too: they raise the pool for the run (InnoDB resizes it online) and put the old
// size back at the end. `--buffer-pool=keep` measures the server as it is.
import type { Knex } from 'knex';

export const PRODUCTION_BUFFER_POOL = 1024 * 2 ** 20;

/** `--buffer-pool=` value: "keep", or a size like 1G / 512M / bytes. */
export function parseBufferPool(value: string): number | 'keep' {
  if (value === 'keep') return value;
  const match = /^(\d+)([MG]?)$/i.exec(value);
  if (!match) throw new Error(`--buffer-pool: "${value}" is not "keep" or a size like 1G or 512M`);
  const unit = match[2]?.toUpperCase() === 'G' ? 2 ** 30 : match[2]?.toUpperCase() === 'M' ? 2 ** 20 : 1;
  return Number(match[1]) * unit;
}

export async function bufferPoolSize(db: Knex): Promise<number> {
  const result = (await db.raw('SELECT @@innodb_buffer_pool_size AS size')) as [{ size: number | string }[]];
  return Number(result[0][0]?.size ?? NaN);
}

/**
 * Makes the buffer pool at least `wanted` bytes for the run (never smaller than it is). Returns
 * what to say about it and how to put it back.
 */
export async function raiseBufferPool(db: Knex, wanted: number | 'keep'): Promise<{ said: string; restore(): Promise<void> }> {
  const before = await bufferPoolSize(db);
  const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
  if (wanted === 'keep' || before >= wanted) return { said: `innodb_buffer_pool_size ${mb(before)} (as the server has it)`, restore: async () => {} };
  await resize(db, wanted);
  return {
    said: `innodb_buffer_pool_size raised from ${mb(before)} to ${mb(await bufferPoolSize(db))} for this run, as production's (docker-compose.yml); --buffer-pool=keep to measure it as it is`,
    restore: () => resize(db, before),
  };
}

async function resize(db: Knex, bytes: number): Promise<void> {
  await db.raw('SET GLOBAL innodb_buffer_pool_size = ?', [bytes]);
  // The resize runs in the background; wait (bounded) until the server reports the new size.
  for (let i = 0; i < 100 && (await bufferPoolSize(db)) !== bytes; i++) await new Promise((resolve) => setTimeout(resolve, 100));
}
