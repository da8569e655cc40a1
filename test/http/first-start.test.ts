// A first start as a newcomer makes it: main.ts as a real process, with nothing configured but a
// fresh SQLite file. It must serve this machine only, say where, and refuse unsafe combinations.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnApp } from '../helpers/app-process.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** main.ts on a fresh SQLite file, with HOST and SESSION_SECRET unset unless `env` sets them. */
function start(env: Record<string, string | undefined>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stereodose-first-start-'));
  const app = spawnApp({
    HOST: undefined,
    NODE_ENV: 'development',
    DATABASE_URL: `sqlite:${path.join(dir, 'stereodose.sqlite')}`,
    DATA_DIR: dir,
    PORT: '0',
    ...env,
  });
  cleanups.push(async () => {
    if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    await app.exited;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return app;
}

/** Whether a TCP connection to host:port is refused (nothing listens there for us). */
const refused = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });

/** An address of this machine that other machines could use (not loopback), if it has one. */
const outwardAddress = () =>
  Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && i.family === 'IPv4')?.address;

describe('a first start', () => {
  it('when HOST is unset in development, then it listens on 127.0.0.1 only and its log says so', async () => {
    const app = start({});
    const started = await waitFor(() => app.logs.find((l) => typeof l.port === 'number'), { timeoutMs: 30_000, why: app.stderr });
    const port = started.port as number;
    expect(started).toMatchObject({ host: '127.0.0.1', url: `http://127.0.0.1:${port}`, reachableFrom: 'this machine' });
    expect(started.msg).toContain(`http://127.0.0.1:${port}`);
    expect(started.msg).not.toContain('localhost');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const outward = outwardAddress();
    if (outward) expect(await refused(outward, port)).toBe(true);
  }, 60_000);

  it.each([
    [{ HOST: '0.0.0.0' }, /^Invalid environment variable SESSION_SECRET: the development secret may only serve this machine/],
    [{ HOST: '0.0.0.0', NODE_ENV: 'test' }, /^Invalid environment variable SESSION_SECRET/],
    [{ NODE_ENV: 'production', SESSION_SECRET: 'a-production-secret-of-32-characters!' }, /^Invalid environment variable PUBLIC_URL: required in production/],
  ])(
    'when started with %o, then it refuses with one line naming the variable, exit 1, and never listens',
    async (env, message) => {
      const app = start(env);
      expect((await app.exited).code).toBe(1);
      expect(app.stderr().trim().split('\n')).toEqual([expect.stringMatching(message)]);
      expect(app.logs.find((l) => typeof l.port === 'number')).toBeUndefined();
    },
    60_000,
  );
});
