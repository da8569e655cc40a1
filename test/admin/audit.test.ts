import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { adminAgent } from '../helpers/admin.js';
import { createTestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { testDatabaseConfig, useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { forgetDatabase } from '../helpers/own-database.js';
import { csrfFrom, registerAs, type Agent } from '../helpers/session.js';

const t = useTestDb();

type Row = Record<string, unknown>;
const auditRows = async (db: Db = t.db) =>
  (await db('admin_audit').orderBy('id')).map((r: Row) => ({
    ...(r as { action: string; record_type: string; record_id: string | null; actor_name: string }),
    actor_user_id: r.actor_user_id == null ? null : Number(r.actor_user_id),
    before: r.before_json == null ? null : JSON.parse(String(r.before_json)),
    after: r.after_json == null ? null : JSON.parse(String(r.after_json)),
  }));

async function setup() {
  const genre = await makeGenre(t.db);
  const other = await makeGenre(t.db, { drugId: genre.drugId });
  const app = createTestApp(t.db);
  const { agent, username } = await adminAgent(app, t.db);
  const admin = { id: Number((await t.db('users').where('username', username).first('id')).id), username };
  const csrf = await csrfFrom(agent, '/admin/songs/new');
  return { app, agent, csrf, genre, other, admin };
}

const post = (agent: Agent, csrf: string, url: string, fields: Record<string, string | string[]> = {}) =>
  agent
    .post(url)
    .type('form')
    .send({ _csrf: csrf, ...fields });

const song = (genreIds: number[], fields: Record<string, string> = {}) => ({
  source: 'url',
  title: 'Audited',
  artist: 'Somebody',
  url: 'https://audit.test/a.mp3',
  genreIds: genreIds.map(String),
  ...fields,
});

describe('admin audit: songs and imports', () => {
  it('when an admin adds, edits, regenres and deletes a song, then each writes exactly one row with actor, record, before and after', async () => {
    const { agent, csrf, genre, other, admin } = await setup();
    const actor = { actor_user_id: admin.id, actor_name: admin.username, record_type: 'song' };

    expect((await post(agent, csrf, '/admin/songs', song([genre.genreId]))).status).toBe(303);
    const id = Number((await t.db('songs').where('title', 'Audited').first('id')).id);
    let rows = await auditRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ...actor, action: 'song.create', record_id: String(id), before: null });
    expect(rows[0]!.after).toEqual({
      title: 'Audited',
      artist: 'Somebody',
      album: null,
      year: null,
      url: 'https://audit.test/a.mp3',
      genreIds: [genre.genreId],
    });

    expect((await post(agent, csrf, `/admin/songs/${id}`, song([genre.genreId], { title: 'Renamed', year: '1999' }))).status).toBe(303);
    rows = await auditRows();
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ ...actor, action: 'song.update', record_id: String(id) });
    expect(rows[1]!.before).toEqual({ title: 'Audited', year: null });
    expect(rows[1]!.after).toEqual({ title: 'Renamed', year: 1999 });

    expect((await post(agent, csrf, `/admin/songs/${id}`, song([genre.genreId, other.genreId], { title: 'Renamed', year: '1999' }))).status).toBe(303);
    rows = await auditRows();
    expect(rows).toHaveLength(3);
    expect(rows[2]).toMatchObject({ ...actor, action: 'song.genres', before: { genreIds: [genre.genreId] } });
    expect(rows[2]!.after).toEqual({ genreIds: [genre.genreId, other.genreId].sort((a, b) => a - b) });

    expect((await post(agent, csrf, `/admin/songs/${id}/delete`)).status).toBe(303);
    rows = await auditRows();
    expect(rows).toHaveLength(4);
    expect(rows[3]).toMatchObject({ ...actor, action: 'song.delete', record_id: String(id), after: null });
    expect(rows[3]!.before).toMatchObject({ title: 'Renamed', year: 1999, url: 'https://audit.test/a.mp3' });
  });

  it('when an admin imports a file, then one import.run row names the file and the counts', async () => {
    const { agent, csrf, genre, admin } = await setup();
    const csv = [
      'title,artist,url,drug,mood',
      `One,A,https://audit.test/1.mp3,${genre.drugSlug},${genre.moodSlug}`,
      `Two,B,https://audit.test/2.mp3,${genre.drugSlug},${genre.moodSlug}`,
      `Lost,C,https://audit.test/3.mp3,${genre.drugSlug},nope`,
    ].join('\n');
    await agent.post('/admin/import').field('_csrf', csrf).attach('file', Buffer.from(csv), 'batch.csv').expect(200);
    const rows = await auditRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_user_id: admin.id, action: 'import.run', record_type: 'import', record_id: null, before: null });
    expect(rows[0]!.after).toEqual({ file: 'batch.csv', imported: 2, newSongs: 2, alreadyPresent: 0, rejected: 1 });
  });

  it('when a change is refused (invalid form, a URL already in the catalog), then no row is written', async () => {
    const { agent, csrf, genre } = await setup();
    const [taken] = await makeSongs(t.db, genre.genreId, 1);
    const url = String((await t.db('songs').where('id', taken!).first('url')).url);
    expect((await post(agent, csrf, '/admin/songs', song([genre.genreId], { title: '' }))).status).toBe(400);
    expect((await post(agent, csrf, '/admin/songs', song([genre.genreId], { url }))).status).toBe(409);
    expect((await post(agent, csrf, '/admin/drugs', { name: '', color: '#123456' })).status).toBe(400);
    expect(await auditRows()).toEqual([]);
  });

  it('when the audit row cannot be written, then the change rolls back with it', async () => {
    const { agent, csrf, genre } = await setup();
    const before = await t.db('moods').where('id', genre.genreId).first('name');
    await t.db.schema.renameTable('admin_audit', 'admin_audit_away');
    try {
      expect((await post(agent, csrf, `/admin/drugs/${genre.drugId}/moods/${genre.genreId}`, { name: 'Never saved' })).status).toBe(500);
      expect((await post(agent, csrf, '/admin/songs', song([genre.genreId]))).status).toBe(500);
    } finally {
      await t.db.schema.renameTable('admin_audit_away', 'admin_audit');
    }
    expect(await t.db('moods').where('id', genre.genreId).first('name')).toEqual(before);
    expect(await t.db('songs').where('title', 'Audited').first()).toBeUndefined();
    expect(await auditRows()).toEqual([]);
  });

  it('when a listener draws a playlist and loves a song, then no row is written', async () => {
    const genre = await makeGenre(t.db);
    const [songId] = await makeSongs(t.db, genre.genreId, 3);
    const app = createTestApp(t.db);
    const { agent } = await registerAs(app);
    await agent.get(`/api/playlists/${genre.drugSlug}/${genre.moodSlug}`).expect(200);
    const csrf = await csrfFrom(agent, '/account');
    expect((await post(agent, csrf, `/favorites/${songId}`, { returnTo: '/favorites' })).status).toBe(303);
    expect(Number((await t.db('favorites').count({ n: '*' }).first())!.n)).toBe(1);
    expect(await auditRows()).toEqual([]);
  });
});

describe('admin audit: drugs and moods', () => {
  it('when an admin creates, edits and deletes a drug and a mood, then each writes one row with the changed fields', async () => {
    const { agent, csrf, admin } = await setup();
    expect((await post(agent, csrf, '/admin/drugs', { name: 'Audit drug', description: 'First', color: '#112233' })).status).toBe(303);
    const drugId = Number((await t.db('drugs').where('name', 'Audit drug').first('id')).id);
    expect((await post(agent, csrf, `/admin/drugs/${drugId}`, { name: 'Audit drug', description: 'Second', color: '#112233' })).status).toBe(303);
    expect((await post(agent, csrf, `/admin/drugs/${drugId}/moods`, { name: 'Audit mood', description: '' })).status).toBe(303);
    const moodId = Number((await t.db('moods').where('name', 'Audit mood').first('id')).id);
    expect((await post(agent, csrf, `/admin/drugs/${drugId}/moods/${moodId}`, { name: 'Calmer mood', description: '' })).status).toBe(303);
    expect((await post(agent, csrf, `/admin/drugs/${drugId}/moods/${moodId}/visibility`, { hidden: '1' })).status).toBe(303);
    expect((await post(agent, csrf, `/admin/drugs/${drugId}/moods/${moodId}/delete`)).status).toBe(303);
    expect((await post(agent, csrf, `/admin/drugs/${drugId}/delete`)).status).toBe(303);

    const rows = await auditRows();
    expect(rows.map((r) => [r.action, r.record_type, r.record_id])).toEqual([
      ['drug.create', 'drug', String(drugId)],
      ['drug.update', 'drug', String(drugId)],
      ['mood.create', 'mood', String(moodId)],
      ['mood.update', 'mood', String(moodId)],
      ['mood.hide', 'mood', String(moodId)],
      ['mood.delete', 'mood', String(moodId)],
      ['drug.delete', 'drug', String(drugId)],
    ]);
    expect(rows.every((r) => r.actor_user_id === admin.id && r.actor_name === admin.username)).toBe(true);
    expect(rows[0]).toMatchObject({ before: null, after: { name: 'Audit drug', slug: 'audit-drug', description: 'First', color: '#112233', hidden: false } });
    expect(rows[1]).toMatchObject({ before: { description: 'First' }, after: { description: 'Second' } });
    expect(rows[3]!.before).toEqual({ name: 'Audit mood' });
    expect(rows[3]!.after).toEqual({ name: 'Calmer mood' });
    expect(rows[4]).toMatchObject({ before: { hidden: false }, after: { hidden: true } });
    expect(rows[5]).toMatchObject({ after: null, before: { name: 'Calmer mood', slug: 'audit-mood', drugId, hidden: true } });
    expect(rows[6]).toMatchObject({ after: null, before: { name: 'Audit drug', description: 'Second' } });
  });

  it('when a delete is refused (the mood still holds songs), then no row is written', async () => {
    const { agent, csrf, genre } = await setup();
    await makeSongs(t.db, genre.genreId, 1);
    expect((await post(agent, csrf, `/admin/drugs/${genre.drugId}/moods/${genre.genreId}/delete`)).status).toBe(409);
    expect(await auditRows()).toEqual([]);
  });
});

describe('GET /admin/audit', () => {
  async function withHistory() {
    const ctx = await setup();
    for (const name of ['First drug', 'Second drug']) {
      expect((await post(ctx.agent, ctx.csrf, '/admin/drugs', { name, color: '#445566' })).status).toBe(303);
    }
    expect((await post(ctx.agent, ctx.csrf, '/admin/songs', song([ctx.genre.genreId]))).status).toBe(303);
    return ctx;
  }

  it('when an admin opens it, then the changes are listed newest first with their change', async () => {
    const { agent, admin } = await withHistory();
    const res = await agent.get('/admin/audit').expect(200);
    const actions = [...res.text.matchAll(/data-audit-id="\d+" data-action="([^"]+)"/g)].map((m) => m[1]);
    expect(actions).toEqual(['song.create', 'drug.create', 'drug.create']);
    expect(res.text).toContain(admin.username);
    expect(res.text).toContain('Second drug');
    expect(res.text).toContain('href="/admin/audit" aria-current=page>Audit</a>');
  });

  it('when filtered by action, record type, record id or actor, then only matching rows are listed', async () => {
    const { agent, admin } = await withHistory();
    const listed = async (query: Record<string, string>) =>
      [...(await agent.get('/admin/audit').query(query).expect(200)).text.matchAll(/data-audit-id="(\d+)"/g)].length;
    const secondId = String((await t.db('drugs').where('name', 'Second drug').first('id')).id);
    expect(await listed({ action: 'drug.create' })).toBe(2);
    expect(await listed({ type: 'song' })).toBe(1);
    expect(await listed({ type: 'drug', id: secondId })).toBe(1);
    expect(await listed({ actor: admin.username, action: 'song.create' })).toBe(1);
    expect(await listed({ actor: 'cli' })).toBe(0);
    expect(await listed({ page: '2' })).toBe(0);
  });

  it('when a filter is malformed or repeated, then 400 shows the page with the field message', async () => {
    const { agent } = await setup();
    const bad = await agent.get('/admin/audit').query({ action: 'DROP TABLE' }).expect(400);
    expect(bad.text).toContain('Action is not an action such as song.update');
    expect(bad.text).toContain('value="DROP TABLE"');
    const repeated = await agent.get('/admin/audit?page=1&page=2').expect(400);
    expect(repeated.text).toContain('Please check page.');
    expect(repeated.text).not.toContain('minute(s)');
  });

  it('when anyone but an admin opens it, then anonymous → login and users → 403', async () => {
    const app = createTestApp(t.db);
    const anonymous = await request(app).get('/admin/audit');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/login/);
    const { agent: user } = await registerAs(app);
    expect((await user.get('/admin/audit')).status).toBe(403);
  });
});

describe('admin audit: the command-line tools', () => {
  const config = testDatabaseConfig('_cli_audit');
  let db: Db | undefined;
  afterAll(async () => {
    await db?.destroy();
    await forgetDatabase(config);
  });

  it('when user:admin grants and revokes, and npm run import runs, then each writes one row with actor "cli"', async () => {
    await forgetDatabase(config);
    db = await createDb(config);
    await migrateLatest(db);
    const { username } = await registerAs(createTestApp(db));
    const userId = String((await db('users').where('username', username).first('id')).id);
    expect((await runCli('src/accounts/user-admin.cli.ts', [username], config)).code).toBe(0);
    expect((await runCli('src/accounts/user-admin.cli.ts', [username, '--revoke'], config)).code).toBe(0);

    const genre = await makeGenre(db);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'audit-')), 'cli-batch.csv');
    fs.writeFileSync(file, `title,artist,url,drug,mood\nOne,A,https://audit.test/cli.mp3,${genre.drugSlug},${genre.moodSlug}\n`);
    expect((await runCli('src/import/import.cli.ts', [file], config)).code).toBe(0);

    const rows = await auditRows(db);
    expect(rows.map((r) => [r.action, r.record_type, r.record_id, r.actor_user_id, r.actor_name])).toEqual([
      ['user.grant_admin', 'user', userId, null, 'cli'],
      ['user.revoke_admin', 'user', userId, null, 'cli'],
      ['import.run', 'import', null, null, 'cli'],
    ]);
    expect(rows[0]).toMatchObject({ before: { isAdmin: false }, after: { isAdmin: true } });
    expect(rows[2]!.after).toEqual({ file: 'cli-batch.csv', imported: 1, newSongs: 1, alreadyPresent: 0, rejected: 0 });
  }, 60_000);
});
