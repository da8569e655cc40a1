import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/knex.js';
import { createLogger } from '../../src/logger.js';
import { startServer } from '../../src/server.js';
import { testConfig } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { spawnApp } from '../helpers/app-process.js';
import { PASSWORD, uniqueName } from '../helpers/session.js';
import { waitFor } from '../helpers/wait.js';

const t = useTestDb();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface App {
  child: ChildProcess;
  port: number;
  /** Every log line so far, parsed. */
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  databaseFile: string;
}

/** main.ts as a real process (see helpers/app-process.ts) on a fresh SQLite file, port 0. */
async function startApp(env: Record<string, string> = {}): Promise<App> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stereodose-server-'));
  const databaseFile = path.join(dir, 'stereodose.sqlite');
  const { child, logs, stderr, exited } = spawnApp({
    NODE_ENV: 'development',
    DATABASE_URL: `sqlite:${databaseFile}`,
    DATA_DIR: dir,
    PORT: '0',
    LOG_LEVEL: 'info',
    ...env,
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const port = await waitFor(() => logs.find((l) => typeof l.port === 'number')?.port as number | undefined, { timeoutMs: 30_000, why: stderr });
  return { child, port, logs, exited, databaseFile };
}

/** A raw HTTP/1.1 connection: the test decides when each byte goes out. */
function rawConnection(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  /** Resolves as soon as what the server has sent matches `pattern`; rejects if it closes first. */
  const until = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(received)) return;
        socket.off('data', check);
        socket.off('close', gone);
        resolve();
      };
      const gone = () => reject(new Error(`the connection closed before ${pattern}; received ${JSON.stringify(received)}`));
      socket.on('data', check);
      socket.once('close', gone);
      check();
    });
  return { socket, closed, received: () => received, until };
}

/** Node's interim answer to `Expect: 100-continue`, sent once it has parsed a request's headers. */
const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';

const connectionRefused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });

/**
 * The registration form's cookie and CSRF token, then a POST whose body is sent in two halves.
 * Resolves once the server has parsed the headers (its 100 Continue says so) and has the first
 * half: the request is in flight, the server waiting for the rest of its body.
 */
async function slowRegistration(port: number, username: string) {
  const page = await fetch(`http://127.0.0.1:${port}/register`);
  const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const body = new URLSearchParams({ _csrf: csrf, username, password: PASSWORD }).toString();
  const conn = rawConnection(port);
  conn.socket.write(
    `POST /register HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
  );
  await conn.until(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
  conn.socket.write(body.slice(0, 10));
  return { ...conn, finish: () => conn.socket.write(body.slice(10)) };
}

const delay = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(resolve, ms, value));

describe('graceful shutdown', () => {
  it('when SIGTERM arrives while a form is being posted, then it completes, new connections are refused and the process exits 0', async () => {
    const app = await startApp({ SHUTDOWN_TIMEOUT_MS: '8000' });
    const username = uniqueName('drain');
    const post = await slowRegistration(app.port, username);

    const signalled = Date.now();
    app.child.kill('SIGTERM');
    await waitFor(() => app.logs.find((l) => l.msg === 'shutting down'), { timeoutMs: 5000 });
    await waitFor(async () => ((await connectionRefused(app.port)) ? true : undefined), { timeoutMs: 3000 });
    // That nothing happens is the behaviour under test, so this one waits a fixed time: long enough
    // for two of the drain's idle sweeps (every 250 ms) to wrongly cut the busy connection, or for
    // the process to exit early.
    const meanwhile = await Promise.race([app.exited.then(() => 'exited'), post.closed.then(() => 'cut off'), delay(500, 'still draining')]);
    expect(meanwhile).toBe('still draining'); // the form holds it open

    post.finish();
    await post.closed; // answered, then closed as an idle keep-alive connection
    expect(post.received().startsWith(`${CONTINUE}HTTP/1.1 303 `)).toBe(true);
    const { code, signal } = await app.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(8000);
    expect(app.logs.map((l) => l.msg)).toContain('stopped');
    // The write made during the drain is in the database, which was closed cleanly.
    const db = await createDb({ client: 'sqlite', filename: app.databaseFile });
    try {
      expect(await db('users').where('username', username).first()).toBeDefined();
    } finally {
      await db.destroy();
    }
  }, 60_000);

  it('when a request never finishes, then the process still exits 0 soon after SHUTDOWN_TIMEOUT_MS', async () => {
    const app = await startApp({ SHUTDOWN_TIMEOUT_MS: '1000' });
    const post = await slowRegistration(app.port, uniqueName('stuck'));
    const signalled = Date.now();
    app.child.kill('SIGTERM');
    const { code } = await app.exited;
    const took = Date.now() - signalled;
    expect(code).toBe(0);
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(4000);
    expect(app.logs.some((l) => String(l.msg).includes('shutdown deadline'))).toBe(true);
    await post.closed;
    expect(post.received()).toBe(CONTINUE); // cut off, never answered
  }, 60_000);
});

describe('HTTP timeouts', () => {
  it('when a client sends its headers too slowly, then Node answers 408 and closes the connection', async () => {
    const db = await createDb(t.config);
    const config = { ...testConfig, port: 0, host: '127.0.0.1', httpTimeouts: { headersMs: 300, requestMs: 5000, keepAliveMs: 5000 } };
    const running = await startServer({ config, db, logger: createLogger('silent'), lifecycle: { shuttingDown: false } });
    cleanups.push(() => running.close());

    const conn = rawConnection(running.port);
    conn.socket.write('GET / HTTP/1.1\r\nHost: x\r\n'); // …and never the blank line that ends the headers
    const started = Date.now();
    await conn.closed;
    expect(conn.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('when the server closes, then /readyz first turns 503 and the database is closed last', async () => {
    const db = await createDb(t.config);
    const lifecycle = { shuttingDown: false };
    const running = await startServer({ config: { ...testConfig, port: 0, host: '127.0.0.1' }, db, logger: createLogger('silent'), lifecycle });
    const ready = await fetch(`http://127.0.0.1:${running.port}/readyz`);
    expect(ready.status).toBe(200);
    await running.close();
    expect(lifecycle.shuttingDown).toBe(true);
    expect(await connectionRefused(running.port)).toBe(true);
    await expect(db.raw('select 1')).rejects.toThrow(/Unable to acquire a connection/);
  });
});
