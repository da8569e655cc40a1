// npm run db:backup -- DIR: a consistent snapshot of DATABASE_URL and the uploads into DIR (new or empty).
import { loadConfig } from '../config.js';
import { BackupError, backUp } from './backup.js';

const dir = process.argv[2];
if (!dir) {
  console.error('Usage: npm run db:backup -- DIR (a new or empty folder)');
  process.exit(2);
}
try {
  const started = Date.now();
  const manifest = await backUp(loadConfig(), dir);
  console.log(`Backed up the ${manifest.client} database and ${manifest.uploads} upload(s) into ${dir} in ${Date.now() - started} ms.`);
} catch (err) {
  if (!(err instanceof BackupError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
}
