// npm run db:restore -- DIR: a backup made by db:backup into an empty DATABASE_URL (and UPLOAD_DIR).
import { loadConfig } from '../config.js';
import { createDb } from '../db/knex.js';
import { checkGenres } from '../playlists/check.js';
import { BackupError, restore } from './backup.js';

const dir = process.argv[2];
if (!dir) {
  console.error('Usage: npm run db:restore -- DIR (a folder written by npm run db:backup)');
  process.exit(2);
}
const config = loadConfig();
try {
  const manifest = await restore(config, dir);
  const db = await createDb(config.database);
  try {
    const problems = await checkGenres(db);
    const songs = await db('songs').count({ n: '*' }).first();
    console.log(`Restored the backup of ${manifest.createdAt}: ${songs?.n ?? 0} songs, ${manifest.uploads} upload(s).`);
    if (problems.length) {
      console.error(`But ${problems.length} genre(s) are inconsistent: run npm run db:check -- --repair.`);
      process.exitCode = 1;
    }
  } finally {
    await db.destroy();
  }
} catch (err) {
  if (!(err instanceof BackupError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
}
