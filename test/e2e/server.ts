// The e2e run's one real server: vitest's globalSetup builds the browser bundle, starts
// `npx tsx src/main.ts` on a free port with a fresh SQLite file (the first start migrates and seeds
// the demo catalog, whose compressed audio is rendered once per machine beforehand), hands the base URL and that file to the tests through `inject('baseUrl')` and
// `inject('databaseFile')`, and stops it with SIGTERM when the run ends.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { demoSongs } from '../../seeds/demo-catalog.js';
import { createDemoAudio } from '../../src/media/demo-audio.js';
import { createFfmpeg } from '../../src/media/ffmpeg.js';
import { projectRoot } from '../../src/paths.js';
import { waitFor } from '../helpers/wait.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The server's SQLite file, for tests that put unusual rows in the catalogue. */
    databaseFile: string;
  }
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface RunningServer {
  url: string;
  databaseFile: string;
  stop(): Promise<void>;
}

/** `node scripts/build-client.mjs`, so `public/js/` holds the current client/ (site.js, embed.js, sw.js). */
export async function buildClient(): Promise<void> {
  const child = spawn(process.execPath, ['scripts/build-client.mjs'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  const code = await exited(child);
  if (code !== 0) throw new Error(`build-client failed (exit ${code}):\n${output()}`);
  if (!fs.existsSync(path.join(projectRoot, 'public/js/site.js'))) throw new Error('build-client wrote no public/js/site.js');
}

/**
 * The demo songs' rendered audio, kept between runs: it depends on nothing but each song's seed, so
 * only the first run on a machine renders it (two minutes or so, two songs at a time). Every server
 * started here takes it at once, as a site that has rendered its demo does. Without ffmpeg nothing
 * is rendered and the demo songs stream as synthesized WAV.
 */
export const DEMO_AUDIO_CACHE = path.join(projectRoot, 'node_modules', '.cache', 'stereodose', 'demo-audio');

export async function renderDemoAudio(dir = DEMO_AUDIO_CACHE): Promise<void> {
  const ffmpeg = createFfmpeg(process.env.FFMPEG_PATH ?? 'ffmpeg');
  if (!(await ffmpeg.available())) return;
  const demo = createDemoAudio({ dir, ffmpeg });
  const seeds = demoSongs().map((s) => s.seed);
  const missing: string[] = [];
  for (const seed of seeds) if (!(await demo.rendered(seed))) missing.push(seed);
  if (missing.length === 0) return;
  process.stderr.write(`rendering ${missing.length} demo songs into ${path.relative(projectRoot, dir)} (once per machine)…\n`);
  let next = 0;
  const worker = async () => {
    while (next < missing.length) await demo.ensure(missing[next++]!);
  };
  await Promise.all([worker(), worker()]);
}

export async function startServer(): Promise<RunningServer> {
  await renderDemoAudio();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stereodose-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const databaseFile = path.join(dir, 'stereodose.sqlite');
  const child = spawn('npx', ['tsx', 'src/main.ts'], {
    cwd: projectRoot,
    // Its own process group (npx → sh → tsx → node), so stop() can signal all of it.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `sqlite:${databaseFile}`,
      DATA_DIR: dir,
      DEMO_AUDIO_DIR: DEMO_AUDIO_CACHE,
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'true',
      // Every test file registers its own listeners, all from 127.0.0.1.
      REGISTER_LIMIT_PER_IP: '1000',
    },
  });
  const output = collect(child, '[server] ');
  const exit = exited(child);

  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    await waitUntilAnswering(url, exit, output);
  } catch (err) {
    await stop(child, exit);
    cleanup();
    throw err;
  }

  return {
    url,
    databaseFile,
    async stop() {
      await stop(child, exit);
      cleanup();
    },
  };
}

/** vitest globalSetup: runs once for the whole e2e run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Screenshots of this run only (test/e2e/pages.ts writes them; the folder is git-ignored).
  fs.rmSync(path.join(projectRoot, 'test-results', 'screenshots'), { recursive: true, force: true });
  await buildClient();
  const server = await startServer();
  project.provide('baseUrl', server.url);
  project.provide('databaseFile', server.databaseFile);
  return () => server.stop();
}

async function waitUntilAnswering(url: string, exit: Promise<number | null>, output: () => string): Promise<void> {
  let exitedWith: number | null | undefined;
  void exit.then((code) => (exitedWith = code));
  await waitFor(
    async () => {
      if (exitedWith !== undefined) throw new Error(`the server exited (${exitedWith}) before answering:\n${output()}`);
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        return res.ok ? true : undefined;
      } catch {
        return undefined; // not listening yet
      }
    },
    { timeoutMs: READY_TIMEOUT_MS, intervalMs: 150, why: () => `for the server to answer on ${url}:\n${output()}` },
  );
}

/**
 * SIGTERM to the server's process group: npx does not pass signals on, so the signal goes to
 * npx, tsx and the server alike (the server shuts down gracefully). Waits until the whole group is
 * gone; SIGKILL if it is not within STOP_TIMEOUT_MS.
 */
async function stop(child: ChildProcess, exit: Promise<number | null>): Promise<void> {
  const group = child.pid;
  if (group === undefined || !groupAlive(group)) return;
  signalGroup(group, 'SIGTERM');
  await exit;
  const gone = await waitFor(() => (groupAlive(group) ? undefined : true), { timeoutMs: STOP_TIMEOUT_MS }).catch(() => false);
  if (!gone) signalGroup(group, 'SIGKILL');
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // already gone
  }
}

/** Resolves with the exit code (null when killed by a signal or when it could not be started). */
function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('error', (err) => {
      process.stderr.write(`could not run ${child.spawnargs.join(' ')}: ${err.message}\n`);
      resolve(null);
    });
    child.once('exit', (code) => resolve(code));
  });
}

/** Keeps the child's output for error messages; with `echo`, also passes it through to stderr. */
function collect(child: ChildProcess, echo?: string): () => string {
  let text = '';
  const take = (chunk: Buffer) => {
    const s = chunk.toString();
    text = (text + s).slice(-20_000);
    if (echo) process.stderr.write(s.replace(/^(?=.)/gm, echo));
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return () => text;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
