// Backups that restore: a consistent snapshot of the database plus the uploaded audio, in one
// folder, and the way back into an empty database. SQLite through better-sqlite3's online backup
// (a consistent copy while the app keeps writing); MySQL/MariaDB through mysqldump
// --single-transaction (one consistent read of every InnoDB table, no locks held).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import type { Config, DatabaseConfig } from '../config.js';
import { createDb, mysqlConnection } from '../db/knex.js';

export const SQLITE_FILE = 'stereodose.sqlite';
export const MYSQL_FILE = 'stereodose.sql';
const UPLOADS = 'uploads';
const MANIFEST = 'backup.json';
/** better-sqlite3's largest step. */
const ALL_PAGES = 0x7fffffff;

export class BackupError extends Error {
  override name = 'BackupError';
}

interface Manifest {
  format: 1;
  createdAt: string;
  client: DatabaseConfig['client'];
  uploads: number;
}

/** The first of these programs on PATH, or undefined. */
function findProgram(names: readonly string[]): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter);
  for (const name of names) for (const dir of dirs) if (dir && fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  return undefined;
}

/** mysql client arguments for a mysql:// URL; the password travels in MYSQL_PWD, never on the command line. */
function mysqlArgs(config: Extract<DatabaseConfig, { client: 'mysql' }>) {
  const { host, port, user, password } = mysqlConnection(config.url);
  return { args: ['--host', host, '--port', String(port), '--user', user], env: { ...process.env, MYSQL_PWD: password } };
}

/** Runs a program, its stdout to `output` or stdin from `input`; resolves once the output is on disk, rejects with its stderr. */
async function run(program: string, args: string[], env: NodeJS.ProcessEnv, io: { output?: string; input?: string }): Promise<void> {
  const child = spawn(program, args, { env, stdio: [io.input ? 'pipe' : 'ignore', io.output ? 'pipe' : 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new BackupError(`${path.basename(program)} failed (exit ${code}): ${stderr.trim()}`))));
  });
  const piped = io.output
    ? pipeline(child.stdout!, fs.createWriteStream(io.output))
    : io.input
      ? pipeline(fs.createReadStream(io.input), child.stdin!)
      : Promise.resolve();
  // The exit's error says more than the broken pipe that follows it.
  await Promise.all([exited, piped.catch(async (err: unknown) => exited.then(() => Promise.reject(err)))]);
}

/** A folder that does not exist yet, or is empty. */
function emptyFolder(dir: string): void {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new BackupError(`${dir} is not empty: back up into a new folder.`);
  fs.mkdirSync(dir, { recursive: true });
}

async function copyUploads(from: string, to: string): Promise<number> {
  if (!fs.existsSync(from)) return 0;
  fs.mkdirSync(to, { recursive: true });
  let copied = 0;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    // Only the stored files: half-received uploads wait in a folder of their own, and dotfiles.
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const name = entry.name;
    // COPYFILE_EXCL: a restore never overwrites a file already there.
    await fs.promises.copyFile(path.join(from, name), path.join(to, name), fs.constants.COPYFILE_EXCL);
    copied += 1;
  }
  return copied;
}

export async function backUp(config: Pick<Config, 'database' | 'uploadDir'>, dir: string): Promise<Manifest> {
  emptyFolder(dir);
  const { database } = config;
  if (database.client === 'sqlite') {
    if (!fs.existsSync(database.filename)) throw new BackupError(`There is no database at ${database.filename}.`);
    const source = new Database(database.filename, { readonly: true, fileMustExist: true });
    try {
      // All pages in one step: a backup copied in slices starts over whenever the app writes between
      // two of them, and a busy site writes all the time. One step reads one snapshot (WAL: writers go on).
      await source.backup(path.join(dir, SQLITE_FILE), { progress: () => ALL_PAGES });
    } finally {
      source.close();
    }
  } else {
    const dump = findProgram(['mysqldump', 'mariadb-dump']);
    if (!dump) throw new BackupError('Backing up MySQL needs mysqldump (or mariadb-dump) on PATH: install the MySQL or MariaDB client.');
    const { args, env } = mysqlArgs(database);
    const options = ['--single-transaction', '--quick', '--no-tablespaces', '--hex-blob', '--default-character-set=utf8mb4'];
    await run(dump, [...args, ...options, database.database], env, { output: path.join(dir, MYSQL_FILE) });
  }
  // After the snapshot: uploads are written once under new names and never changed, so every file
  // the snapshot names is there unless it was deleted during these seconds.
  const uploads = await copyUploads(config.uploadDir, path.join(dir, UPLOADS));
  const manifest: Manifest = { format: 1, createdAt: new Date().toISOString(), client: database.client, uploads };
  fs.writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file)) throw new BackupError(`${dir} holds no backup (no ${MANIFEST}).`);
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  if (manifest.format !== 1) throw new BackupError(`${file}: unknown backup format ${String(manifest.format)}.`);
  return manifest;
}

/** Brings a backup back into an empty database (and the uploads into UPLOAD_DIR); refuses a database with tables. */
export async function restore(config: Pick<Config, 'database' | 'uploadDir'>, dir: string): Promise<Manifest> {
  const manifest = readManifest(dir);
  const { database } = config;
  if (manifest.client !== database.client) throw new BackupError(`This is a ${manifest.client} backup; DATABASE_URL is ${database.client}.`);
  if (database.client === 'sqlite') {
    if (fs.existsSync(database.filename) && fs.statSync(database.filename).size > 0) {
      throw new BackupError(`${database.filename} already exists: restore into a new file (set DATABASE_URL), or move it away first.`);
    }
    fs.mkdirSync(path.dirname(database.filename), { recursive: true });
    fs.copyFileSync(path.join(dir, SQLITE_FILE), database.filename, fs.constants.COPYFILE_EXCL);
  } else {
    const client = findProgram(['mysql', 'mariadb']);
    if (!client) throw new BackupError('Restoring MySQL needs the mysql (or mariadb) client on PATH: install the MySQL or MariaDB client.');
    const db = await createDb(database); // creates the database when it is not there
    try {
      const [{ n }] = (await db('information_schema.tables').where('table_schema', database.database).count({ n: '*' })) as [{ n: number | string }];
      if (Number(n) > 0) throw new BackupError(`The database ${database.database} is not empty: restore into a new, empty one.`);
    } finally {
      await db.destroy();
    }
    const { args, env } = mysqlArgs(database);
    await run(client, [...args, '--default-character-set=utf8mb4', database.database], env, { input: path.join(dir, MYSQL_FILE) });
  }
  await copyUploads(path.join(dir, UPLOADS), config.uploadDir);
  return manifest;
}
