// A private MariaDB server for fault tests: its own datadir, port and PID, so a test may SIGKILL,
// SIGSTOP or restart it without touching any shared server.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { waitFor } from './wait.js';

const run = promisify(execFile);

export interface PrivateMariadb {
  readonly port: number;
  /** `mysql://root@127.0.0.1:<port>/<database>`. */
  url(database: string): string;
  /** The running mariadbd's PID (changes on restart). */
  readonly pid: number | undefined;
  signal(signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): void;
  /** Resolves once a killed server has exited. */
  exited(): Promise<void>;
  /** Starts mariadbd again on the same datadir and port; resolves when it accepts queries. */
  start(): Promise<void>;
  /** Undoes whatever a test did to it: thaws a frozen server, restarts a killed one. Resolves when it accepts queries. */
  revive(): Promise<void>;
  /** Kills the server (whatever its state) and deletes its files. Safe to call twice. */
  destroy(): Promise<void>;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface PrivateMariadbOptions {
  /** More mariadbd options, e.g. `['--log-bin', '--server-id=1']` for a replication primary. */
  args?: readonly string[];
}

/** Initialises a datadir in a temp directory and starts mariadbd on a free port (root, no password). */
export async function startPrivateMariadb(options: PrivateMariadbOptions = {}): Promise<PrivateMariadb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stereodose-mariadb-'));
  const datadir = path.join(dir, 'data');
  // mariadbd refuses to run as root unless told to.
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  let child: ChildProcess | undefined;
  /** SIGKILL was sent to the current child, which may not have exited yet. */
  let killed = false;
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const destroy = async () => {
    process.off('exit', killOnExit);
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await gone;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await run(
      'mariadb-install-db',
      ['--no-defaults', '--auth-root-authentication-method=normal', '--skip-test-db', `--datadir=${datadir}`, `--tmpdir=${dir}`, ...asRoot],
      { timeout: 60_000 },
    );
    const port = await freePort();
    const args = [
      '--no-defaults',
      ...asRoot,
      `--datadir=${datadir}`,
      // Its own temp folder: a starting mariadbd deletes every #sql* file in its tmpdir, which would
      // pull temporary tables from under the shared server that also uses /tmp.
      `--tmpdir=${dir}`,
      `--socket=${path.join(dir, 'mariadbd.sock')}`,
      `--pid-file=${path.join(dir, 'mariadbd.pid')}`,
      `--log-error=${path.join(dir, 'error.log')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      '--performance-schema=OFF',
      '--innodb-buffer-pool-size=32M',
      ...(options.args ?? []),
    ];

    const start = async () => {
      child = spawn('mariadbd', args, { stdio: 'ignore' });
      killed = false;
      const started = child;
      let refused: unknown;
      await waitFor(
        async () => {
          if (started.exitCode !== null || started.signalCode !== null) {
            throw new Error(`mariadbd exited while starting; see ${path.join(dir, 'error.log')}`);
          }
          try {
            const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
            await conn.end();
            return true;
          } catch (err) {
            refused = err;
            return undefined;
          }
        },
        { timeoutMs: 30_000, intervalMs: 100, why: () => `for mariadbd to accept connections (last: ${refused})` },
      );
    };
    const exited = () => (running() ? new Promise<void>((resolve) => child!.once('exit', () => resolve())) : Promise.resolve());
    await start();

    return {
      port,
      url: (database) => `mysql://root@127.0.0.1:${port}/${database}`,
      get pid() {
        return child?.pid;
      },
      signal: (signal) => {
        if (signal === 'SIGKILL') killed = true;
        child?.kill(signal);
      },
      exited,
      start,
      async revive() {
        if (running() && !killed) {
          child!.kill('SIGCONT'); // harmless when it was not frozen
          return;
        }
        await exited();
        await start();
      },
      destroy,
    };
  } catch (err) {
    await destroy();
    throw err;
  }
}
