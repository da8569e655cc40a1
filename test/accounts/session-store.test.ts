import type { SessionData } from 'express-session';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseSessionStore } from '../../src/accounts/session-store.js';
import { createDb } from '../../src/db/knex.js';
import { ServiceBusy } from '../../src/lib/errors.js';
import { useTestDb } from '../helpers/db.js';

const t = useTestDb();

let counter = 0;
const uniqueSid = () => `sid-${Date.now().toString(36)}-${counter++}`;

/** A session as express-session hands it over: its cookie says when it ends. */
const sessionEnding = (at: Date, extra: Record<string, unknown> = {}) =>
  ({ cookie: { expires: at, originalMaxAge: 60_000, path: '/' }, ...extra }) as unknown as SessionData;
const inSeconds = (s: number) => new Date(Date.now() + s * 1000);

/** The store's callback as a promise of what it was called with. */
const called = <T>(start: (callback: (err: unknown, value?: T) => void) => void) =>
  new Promise<{ err: unknown; value?: T }>((resolve) => start((err, value) => resolve({ err, value })));

const expiredAt = async (sid: string) => {
  const row = await t.db('sessions').where('sid', sid).first('expired');
  return row && new Date(row.expired).getTime();
};

const stores: DatabaseSessionStore[] = [];
const newStore = (cleanupIntervalMs = 0) => {
  const store = new DatabaseSessionStore(t.db, { cleanupIntervalMs });
  stores.push(store);
  return store;
};
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

describe('the database session store', () => {
  it('when a session is set, then get reads the same data back', async () => {
    const store = newStore();
    const sid = uniqueSid();
    const data = sessionEnding(inSeconds(60), { createdAt: 1234, flash: [{ type: 'success', message: 'Ünïcode ✓' }] });
    expect((await called((cb) => store.set(sid, data, cb))).err).toBeNull();
    const { err, value } = await called<SessionData | null>((cb) => store.get(sid, cb));
    expect(err).toBeNull();
    expect(value).toMatchObject({ createdAt: 1234, flash: [{ type: 'success', message: 'Ünïcode ✓' }] });
    expect(new Date(value!.cookie.expires as unknown as string).getTime()).toBe(data.cookie.expires!.getTime());
  });

  it('when a session is set twice, then the second write replaces the first (one row)', async () => {
    const store = newStore();
    const sid = uniqueSid();
    await called((cb) => store.set(sid, sessionEnding(inSeconds(60), { createdAt: 1 }), cb));
    await called((cb) => store.set(sid, sessionEnding(inSeconds(60), { createdAt: 2 }), cb));
    expect((await called<SessionData | null>((cb) => store.get(sid, cb))).value).toMatchObject({ createdAt: 2 });
    expect(await t.db('sessions').where('sid', sid).count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('when the cookie names no expiry, then the session ends after its maxAge', async () => {
    const store = newStore();
    const sid = uniqueSid();
    await called((cb) => store.set(sid, { cookie: { maxAge: 120_000 } } as unknown as SessionData, cb));
    // DATETIME keeps whole seconds on MySQL: allow for the rounding.
    expect(Math.abs((await expiredAt(sid))! - (Date.now() + 120_000))).toBeLessThan(3000);
  });

  it('when a session has expired, then get reads no session, even before the cleanup removes its row', async () => {
    const store = newStore();
    const sid = uniqueSid();
    await called((cb) => store.set(sid, sessionEnding(inSeconds(-5)), cb));
    expect(await expiredAt(sid)).toBeDefined();
    expect(await called((cb) => store.get(sid, cb))).toEqual({ err: null, value: null });
  });

  it('when an unknown session id is read, then get reads no session', async () => {
    expect(await called((cb) => newStore().get(uniqueSid(), cb))).toEqual({ err: null, value: null });
  });

  it('when a session is touched, then only its expiry moves later', async () => {
    const store = newStore();
    const sid = uniqueSid();
    await called((cb) => store.set(sid, sessionEnding(inSeconds(30), { createdAt: 7 }), cb));
    const before = await t.db('sessions').where('sid', sid).first('sess', 'expired');
    // What touch is given is not written: only the new expiry is.
    expect((await called((cb) => store.touch(sid, sessionEnding(inSeconds(3600), { createdAt: 8 }), cb))).err).toBeNull();
    const after = await t.db('sessions').where('sid', sid).first('sess', 'expired');
    expect(after.sess).toBe(before.sess);
    expect(new Date(after.expired).getTime()).toBeGreaterThan(new Date(before.expired).getTime() + 3000_000);
    expect((await called<SessionData | null>((cb) => store.get(sid, cb))).value).toMatchObject({ createdAt: 7 });
  });

  it('when an expired session is touched, then it stays expired', async () => {
    const store = newStore();
    const sid = uniqueSid();
    await called((cb) => store.set(sid, sessionEnding(inSeconds(-5)), cb));
    expect((await called((cb) => store.touch(sid, sessionEnding(inSeconds(3600)), cb))).err).toBeNull();
    expect((await called((cb) => store.get(sid, cb))).value).toBeNull();
  });

  it('when a session is destroyed, then its row is gone and get reads no session', async () => {
    const store = newStore();
    const sid = uniqueSid();
    const other = uniqueSid();
    await called((cb) => store.set(sid, sessionEnding(inSeconds(60)), cb));
    await called((cb) => store.set(other, sessionEnding(inSeconds(60)), cb));
    expect((await called((cb) => store.destroy(sid, cb))).err).toBeNull();
    expect(await expiredAt(sid)).toBeUndefined();
    expect((await called((cb) => store.get(sid, cb))).value).toBeNull();
    expect((await called((cb) => store.get(other, cb))).value).not.toBeNull();
  });

  it('when expired rows are deleted, then exactly the sessions that ended are removed', async () => {
    const store = newStore();
    const ended = [uniqueSid(), uniqueSid()];
    const live = [uniqueSid(), uniqueSid()];
    await called((cb) => store.set(ended[0]!, sessionEnding(inSeconds(-3600)), cb));
    await called((cb) => store.set(ended[1]!, sessionEnding(inSeconds(-5)), cb));
    await called((cb) => store.set(live[0]!, sessionEnding(inSeconds(5)), cb));
    await called((cb) => store.set(live[1]!, sessionEnding(inSeconds(30 * 86_400)), cb));
    expect(await store.deleteExpired()).toBe(2);
    expect((await t.db('sessions').pluck('sid')).sort()).toEqual([...live].sort());
  });

  it('when the cleanup runs periodically, then it removes ended sessions, and once closed it stops', async () => {
    const sid = uniqueSid();
    await called((cb) => newStore().set(sid, sessionEnding(inSeconds(-5)), cb));
    const store = newStore(50);
    await expect.poll(() => expiredAt(sid), { timeout: 2000, interval: 25 }).toBeUndefined();
    store.close();
    await called((cb) => store.set(sid, sessionEnding(inSeconds(-5)), cb));
    // Four cleanup periods pass: a cleanup that stopped is seen only by its absence over time.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await expiredAt(sid)).toBeDefined();
  });
});

describe('when the session store’s database fails', () => {
  it('then every call reports ServiceBusy to its callback, and nothing is thrown or left unhandled', async () => {
    const db = await createDb(t.config);
    const store = new DatabaseSessionStore(db, { cleanupIntervalMs: 0 });
    await db.destroy();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const sid = uniqueSid();
      const data = sessionEnding(inSeconds(60));
      const results = [
        await called((cb) => store.get(sid, cb)),
        await called((cb) => store.set(sid, data, cb)),
        await called((cb) => store.touch(sid, data, cb)),
        await called((cb) => store.destroy(sid, cb)),
      ];
      for (const { err } of results) expect(err).toBeInstanceOf(ServiceBusy);
      // Calls without a callback must not fail either.
      expect(() => store.set(sid, data)).not.toThrow();
      expect(() => store.destroy(sid)).not.toThrow();
      // Time for the calls above to fail: an unhandled rejection would show up within it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('then the periodic cleanup fails quietly and keeps the process alive', async () => {
    const db = await createDb(t.config);
    await db.destroy();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const store = new DatabaseSessionStore(db, { cleanupIntervalMs: 20 });
    try {
      // Several cleanup periods, each failing: the behaviour under test is what happens over them.
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(unhandled).toEqual([]);
    } finally {
      store.close();
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
