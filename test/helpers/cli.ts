// The project's command-line scripts as child processes, run from source with tsx (as the npm
// scripts do today), against a database chosen by DATABASE_URL.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { DatabaseConfig } from '../../src/config.js';
import { projectRoot } from '../../src/paths.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** DATABASE_URL for a database config. */
export const databaseUrlOf = (config: DatabaseConfig) => (config.client === 'sqlite' ? `sqlite:${config.filename}` : config.url);

/** Runs `tsx <script> ...args` in the project root, with `extraEnv` added; resolves with its exit code and output once it has exited. */
export function runCli(script: string, args: readonly string[], database: DatabaseConfig, extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const { DATABASE_READ_URL: _replica, PUBLIC_URL: _site, SMTP_URL: _mail, ...inherited } = process.env;
  const env = { ...inherited, ...extraEnv, DATABASE_URL: databaseUrlOf(database) };
  const child = spawn(path.join(projectRoot, 'node_modules/.bin/tsx'), [script, ...args], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
