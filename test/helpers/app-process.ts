// The app as a real process: `node --import tsx src/main.ts`, as `npm start` runs the build —
// tsx as a loader only. (The `tsx` command relays signals to a child and SIGKILLs it unless it
// reacts within ~60 ms, which a busy event loop may not: that would test tsx, not our shutdown.)
import { spawn, type ChildProcess } from 'node:child_process';

export interface AppProcess {
  child: ChildProcess;
  /** Every JSON log line so far, parsed. */
  logs: Record<string, unknown>[];
  /** Everything written to stdout so far, exactly as written. */
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts main.ts; variables a developer's shell may have set for the app are replaced, not
 * inherited. A variable given as undefined stays unset (HOST: undefined, to see the default).
 */
export function spawnApp(env: Record<string, string | undefined>): AppProcess {
  const inherited = { ...process.env };
  for (const name of ['WEB_CONCURRENCY', 'DATABASE_READ_URL', 'PORT', 'SESSION_SECRET', 'PUBLIC_URL', 'SMTP_URL', 'TRUST_PROXY']) delete inherited[name];
  const merged: Record<string, string | undefined> = { ...inherited, HOST: '127.0.0.1', SEED_DEMO: 'false', ...env };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const logs: Record<string, unknown>[] = [];
  let buffered = '';
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk;
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) if (line.startsWith('{')) logs.push(JSON.parse(line));
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  return { child, logs, stdout: () => stdout, stderr: () => stderr, exited };
}
