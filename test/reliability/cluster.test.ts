// Several app processes on one database. MySQL pass: two separate `main.ts` processes share
// sessions and login limits. Both passes: WEB_CONCURRENCY=2 forks two workers (on a SQLite file of
// its own), restarts one that dies, and stops them all on SIGTERM.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '../../src/db/migrate.js';
import { useTestDb, usingMysql } from '../helpers/db.js';
import { freePort } from '../helpers/mariadb.js';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { PASSWORD, uniqueName } from '../helpers/session.js';
import { waitFor } from '../helpers/wait.js';

const t = useTestDb();

type Proc = AppProcess;

const started: Proc[] = [];
/** Worker pids seen, killed in afterAll in case their primary could not stop them. */
const workerPids = new Set<number>();
const tempDirs: string[] = [];

afterAll(async () => {
  for (const proc of started) {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    await proc.exited;
  }
  for (const pid of workerPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** main.ts as a real process (see helpers/app-process.ts), remembered for afterAll. */
function startMain(env: Record<string, string>): Proc {
  const proc = spawnApp(env);
  started.push(proc);
  return proc;
}

/** The app answers /healthz (with LOG_LEVEL=warn there is no "playing on" line to wait for). */
async function waitUntilServing(proc: Proc, base: string): Promise<void> {
  await waitFor(
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`exited ${proc.child.exitCode}: ${proc.stderr()}`);
      const res = await fetch(`${base}/healthz`).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    },
    { timeoutMs: 60_000, why: proc.stderr },
  );
}

/** A browser's cookie jar, shared by whichever process it talks to. */
class Browser {
  private readonly cookies = new Map<string, string>();

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const res = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(init.form && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body: init.form && new URLSearchParams(init.form).toString(),
    });
    for (const header of res.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  async csrf(url: string): Promise<string> {
    const page = await this.request(url);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no CSRF token at ${url} (status ${page.status})`);
    return token;
  }

  get sessionId(): string | undefined {
    return this.cookies.get('stereodose.sid');
  }
}

async function register(base: string, username: string): Promise<Browser> {
  const browser = new Browser();
  const _csrf = await browser.csrf(`${base}/register`);
  const res = await browser.request(`${base}/register`, { form: { _csrf, username, password: PASSWORD } });
  if (res.status !== 303) throw new Error(`registration failed: ${res.status} ${res.text.slice(0, 300)}`);
  return browser;
}

describe.skipIf(!usingMysql())('two app processes on one MySQL database', () => {
  let a = '';
  let b = '';

  beforeAll(async () => {
    if (t.config.client !== 'mysql') throw new Error('expected the MySQL test database');
    // useTestDb has migrated this worker's database; the apps would migrate it too, both at once.
    expect(await migrateLatest(t.db)).toEqual([]);
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: t.config.url,
      SESSION_SECRET: 'cluster-test-secret-of-at-least-32-characters',
      LOGIN_LIMIT_PER_USER: '3',
      WEB_CONCURRENCY: '1',
    };
    const portA = await freePort();
    let portB = await freePort();
    while (portB === portA) portB = await freePort();
    a = `http://127.0.0.1:${portA}`;
    b = `http://127.0.0.1:${portB}`;
    const procA = startMain({ ...env, PORT: String(portA) });
    const procB = startMain({ ...env, PORT: String(portB) });
    await Promise.all([waitUntilServing(procA, a), waitUntilServing(procB, b)]);
    expect(procA.child.pid).not.toBe(procB.child.pid);
  }, 90_000);

  it('when a listener registers and logs in on process A, then the session cookie works on process B', async () => {
    const username = uniqueName('both');
    const registered = await register(a, username);
    expect((await registered.request(`${b}/account`)).status).toBe(200);

    const browser = new Browser();
    const _csrf = await browser.csrf(`${a}/login`);
    const anonymous = browser.sessionId;
    const login = await browser.request(`${a}/login`, { form: { _csrf, username, password: PASSWORD } });
    expect(login.status).toBe(303);
    expect(browser.sessionId).toBeDefined();
    expect(browser.sessionId).not.toBe(anonymous);

    const account = await browser.request(`${b}/account`);
    expect(account.status).toBe(200);
    expect(account.text).toContain(username);

    // …and logging out on B ends the session on A too.
    const loggedIn = browser.sessionId;
    const logout = await browser.request(`${b}/logout`, { form: { _csrf: await browser.csrf(`${b}/account`) } });
    expect(logout.status).toBe(303);
    const after = await fetch(`${a}/account`, { redirect: 'manual', headers: { cookie: `stereodose.sid=${loggedIn}` } });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/login/);
  }, 30_000);

  it('when 2 failed logins go to A and 1 to B, then the next one on either process is 429', async () => {
    const username = uniqueName('limit');
    await register(a, username);
    const browser = new Browser();
    const _csrf = await browser.csrf(`${a}/login`);
    const attempt = (base: string, password = 'not the password at all') => browser.request(`${base}/login`, { form: { _csrf, username, password } });

    expect((await attempt(a)).status).toBe(401);
    expect((await attempt(a)).status).toBe(401);
    expect((await attempt(b)).status).toBe(401);
    const limitedOnA = await attempt(a);
    expect(limitedOnA.status).toBe(429);
    expect(Number(limitedOnA.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await attempt(b, PASSWORD)).status).toBe(429); // even the right password, before hashing
  }, 30_000);
});

/** The pids of `main.ts` processes whose parent is `ppid` (tsx's esbuild service is left out). */
function childMainPids(ppid: number): number[] {
  let out = '';
  try {
    out = execFileSync('ps', ['--ppid', String(ppid), '-o', 'pid=,args='], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when nothing matches
  }
  return out
    .split('\n')
    .filter((line) => line.includes('src/main.ts'))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .sort((x, y) => x - y);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A GET on a connection of its own, so the primary hands each one to the next worker. */
function getOnNewConnection(port: number, urlPath: string, cookie?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, headers: cookie ? { cookie } : {} }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
  });
}

describe('WEB_CONCURRENCY=2', () => {
  it('when started, then two worker processes answer; one that dies is replaced; SIGTERM stops them all and exits 0', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stereodose-cluster-'));
    tempDirs.push(dir);
    const primary = startMain({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      WEB_CONCURRENCY: '2',
      DATABASE_URL: `sqlite:${path.join(dir, 'stereodose.sqlite')}`,
      DATA_DIR: dir,
      PORT: '0',
    });
    const primaryPid = primary.child.pid!;
    const playing = () => primary.logs.filter((l) => typeof l.port === 'number');
    const ready = await waitFor(() => (playing().length >= 2 ? playing() : undefined), { timeoutMs: 90_000, why: primary.stderr });
    const port = ready[0]!.port as number;
    expect(ready.map((l) => l.port)).toEqual([port, port]); // one port, shared through the primary
    const pids = ready.map((l) => l.pid as number).sort((x, y) => x - y);
    for (const pid of pids) workerPids.add(pid);
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(primaryPid);
    expect(childMainPids(primaryPid)).toEqual(pids); // the OS agrees: two main.ts children of the primary
    expect(primary.logs.filter((l) => Array.isArray(l.applied))).toHaveLength(1); // migrated once, by the primary

    // Each connection goes to the next worker (round-robin): both answer, and say so in their logs.
    for (let i = 0; i < 6; i++) expect((await getOnNewConnection(port, `/healthz?probe=${i}`)).status).toBe(200);
    const answered = () => primary.logs.filter((l) => String((l.req as { url?: string } | undefined)?.url).startsWith('/healthz?probe='));
    await waitFor(() => (answered().length === 6 ? true : undefined), { timeoutMs: 5000 });
    expect([...new Set(answered().map((l) => l.pid as number))].sort((x, y) => x - y)).toEqual(pids);

    // One SQLite file, two writers: registrations spread over both workers, sessions valid on both.
    const cookies = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const browser = await register(`http://127.0.0.1:${port}`, uniqueName(`w${i}`));
        return `stereodose.sid=${browser.sessionId}`;
      }),
    );
    for (const cookie of cookies) {
      for (let i = 0; i < 2; i++) expect((await getOnNewConnection(port, '/account', cookie)).status).toBe(200);
    }

    // A worker that dies is replaced by a new one.
    const [victim, survivor] = pids as [number, number];
    process.kill(victim, 'SIGKILL');
    const replaced = await waitFor(
      () => {
        const now = childMainPids(primaryPid);
        return now.length === 2 && !now.includes(victim) && now.includes(survivor) ? now : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const newcomer = replaced.find((pid) => pid !== survivor)!;
    workerPids.add(newcomer);
    expect(primary.logs.some((l) => l.msg === 'worker died unexpectedly; starting another' && l.workerPid === victim)).toBe(true);
    await waitFor(() => (playing().some((l) => l.pid === newcomer) ? true : undefined), { timeoutMs: 60_000, why: primary.stderr });
    for (let i = 0; i < 4; i++) expect((await getOnNewConnection(port, '/healthz')).status).toBe(200);

    // SIGTERM: forwarded, every worker drains and exits, then the primary exits 0.
    const signalled = Date.now();
    primary.child.kill('SIGTERM');
    expect(await primary.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(15_000);
    for (const pid of [survivor, newcomer]) {
      expect(alive(pid)).toBe(false);
      expect(primary.logs.some((l) => l.pid === pid && l.msg === 'stopped')).toBe(true);
    }
    expect(primary.logs.filter((l) => l.msg === 'worker stopped').map((l) => l.code)).toEqual([0, 0]);
  }, 180_000);

  it('when METRICS_PORT is set, then the primary serves every worker’s metrics, summed, and the workers serve none', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stereodose-cluster-'));
    tempDirs.push(dir);
    const metricsPort = await freePort();
    const primary = startMain({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      WEB_CONCURRENCY: '2',
      DATABASE_URL: `sqlite:${path.join(dir, 'stereodose.sqlite')}`,
      DATA_DIR: dir,
      PORT: '0',
      METRICS_PORT: String(metricsPort),
    });
    const playing = () => primary.logs.filter((l) => typeof l.port === 'number');
    const ready = await waitFor(() => (playing().length >= 2 ? playing() : undefined), { timeoutMs: 90_000, why: primary.stderr });
    for (const l of ready) workerPids.add(l.pid as number);
    const port = ready[0]!.port as number;
    for (let i = 0; i < 6; i++) expect((await getOnNewConnection(port, `/healthz?m=${i}`)).status).toBe(200);
    const answered = new Set(primary.logs.filter((l) => String((l.req as { url?: string } | undefined)?.url).startsWith('/healthz?m=')).map((l) => l.pid));
    expect(answered.size).toBe(2); // both workers answered some
    const metrics = await getOnNewConnection(metricsPort, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^stereodose_http_requests_total\{method="GET",route="\/healthz",status="200"\} 6$/m);
    expect((await getOnNewConnection(port, '/metrics')).status).toBe(404);
    primary.child.kill('SIGTERM');
    expect(await primary.exited).toEqual({ code: 0, signal: null });
  }, 180_000);
});
