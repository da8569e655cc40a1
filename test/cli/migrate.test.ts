// `npm run db:migrate` and `npm run db:rollback`, run as processes on a database of their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { createDb } from '../../src/db/knex.js';
import { runCli } from '../helpers/cli.js';
import { testDatabaseConfig } from '../helpers/db.js';
import { testDialectOf } from '../helpers/dialect.js';
import { forgetDatabase } from '../helpers/own-database.js';

const SCRIPT = 'src/db/migrate.cli.ts';
const config = testDatabaseConfig('_cli_migrate');
const migrate = () => runCli(SCRIPT, [], config);
const rollback = () => runCli(SCRIPT, ['--rollback'], config);

/** The app's tables (knex's own bookkeeping tables aside), sorted. */
async function appTables(): Promise<string[]> {
  const db = await createDb(config);
  try {
    return (await testDialectOf(db).listTables(db)).sort();
  } finally {
    await db.destroy();
  }
}

/** The migration names a CLI line lists after its label ("Applied: a, b, c"). */
const listed = (line: string, label: string) => {
  expect(line.startsWith(`${label}: `)).toBe(true);
  return line
    .trim()
    .slice(label.length + 2)
    .split(', ')
    .sort();
};
const every = migrations.map(([name]) => name).sort();

beforeAll(() => forgetDatabase(config));
afterAll(() => forgetDatabase(config));

describe('npm run db:migrate and db:rollback', () => {
  it('when db:rollback runs on a migrated database, then it rolls back every migration and no app table is left; db:migrate brings them all back', async () => {
    await forgetDatabase(config);
    const applied = await migrate();
    expect(applied.code).toBe(0);
    expect(listed(applied.stdout, 'Applied')).toEqual(every);
    const tables = await appTables();
    expect(tables).toEqual(expect.arrayContaining(['songs', 'genre_songs', 'users', 'sessions', 'favorites']));

    const rolledBack = await rollback();
    expect(rolledBack).toMatchObject({ code: 0, stderr: '' });
    expect(listed(rolledBack.stdout, 'Rolled back')).toEqual(every);
    expect(await appTables()).toEqual([]);

    const again = await migrate();
    expect(again.code).toBe(0);
    expect(listed(again.stdout, 'Applied')).toEqual(every);
    expect(await appTables()).toEqual(tables);
  }, 90_000);

  it('when db:migrate runs on an up-to-date database, then it exits 0 with nothing to do and the tables stay', async () => {
    await forgetDatabase(config);
    expect((await migrate()).code).toBe(0);
    const tables = await appTables();
    const second = await migrate();
    expect(second).toMatchObject({ code: 0, stdout: 'Nothing to do.\n', stderr: '' });
    expect(await appTables()).toEqual(tables);
  }, 60_000);
});
