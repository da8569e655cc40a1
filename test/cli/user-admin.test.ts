// `npm run user:admin -- USERNAME [--revoke]`, run as a process on a database of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { createTestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { testDatabaseConfig } from '../helpers/db.js';
import { forgetDatabase } from '../helpers/own-database.js';
import { registerAs, uniqueName } from '../helpers/session.js';

const SCRIPT = 'src/accounts/user-admin.cli.ts';
const config = testDatabaseConfig('_cli_admin');
let db: Db;

beforeAll(async () => {
  await forgetDatabase(config);
  db = await createDb(config);
  await migrateLatest(db);
});
afterAll(async () => {
  await db?.destroy();
  await forgetDatabase(config);
});

const isAdmin = async (username: string) => Boolean((await db('users').where('username', username).first('is_admin')).is_admin);

describe('npm run user:admin', () => {
  it('when run with a registered username, then it exits 0 and that user is an admin; with --revoke, then no longer', async () => {
    const { username } = await registerAs(createTestApp(db));
    const { username: bystander } = await registerAs(createTestApp(db));
    expect(await isAdmin(username)).toBe(false);

    const granted = await runCli(SCRIPT, [username], config);
    expect(granted).toMatchObject({ code: 0, stderr: '' });
    expect(granted.stdout).toContain(`${username} is now an admin.`);
    expect(await isAdmin(username)).toBe(true);
    expect(await isAdmin(bystander)).toBe(false);

    const revoked = await runCli(SCRIPT, [username, '--revoke'], config);
    expect(revoked).toMatchObject({ code: 0, stderr: '' });
    expect(revoked.stdout).toContain(`${username} is no longer an admin.`);
    expect(await isAdmin(username)).toBe(false);
  }, 60_000);

  it('when the username is unknown, then it exits 1 naming it and changes nobody', async () => {
    const { username } = await registerAs(createTestApp(db));
    const ghost = uniqueName('ghost');
    const result = await runCli(SCRIPT, [ghost], config);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`No user named “${ghost}”`);
    expect(result.stdout).toBe('');
    expect(await isAdmin(username)).toBe(false);
    expect(await db('users').where('username', ghost).first()).toBeUndefined();
  }, 60_000);

  it('when no username is given, then it exits 2 with its usage and changes nobody', async () => {
    const { username } = await registerAs(createTestApp(db));
    const result = await runCli(SCRIPT, ['--revoke'], config);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: npm run user:admin -- USERNAME [--revoke]');
    expect(await isAdmin(username)).toBe(false);
  }, 60_000);
});
