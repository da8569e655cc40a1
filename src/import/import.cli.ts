// npm run import -- FILE [--format csv|jsonl]: imports songs into genres on DATABASE_URL.
// A progress bar on a terminal, then the summary with every rejected line and its reason; new songs
// whose audio is this site's own are then measured (audio/).
import fs from 'node:fs';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { analyzeWithProgress } from '../audio/analysis-progress.js';
import { audioServiceFor } from '../audio/audio-tools.js';
import { createAudioRepository } from '../audio/audio.repository.js';
import { CLI_ACTOR } from '../audit/audit.repository.js';
import { loadConfig } from '../config.js';
import { createDb } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';
import { createImportRepository } from './import.repository.js';
import { runImport } from './import.service.js';
import { formatOf, ImportFormatError, rowsOf, type ImportFormat } from './import.sources.js';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const formatFlag = args.find((a) => a.startsWith('--format='))?.split('=')[1];
if (!file || (formatFlag && formatFlag !== 'csv' && formatFlag !== 'jsonl')) {
  console.error('Usage: npm run import -- FILE [--format=csv|jsonl]\n  CSV header: title,artist,url,drug,mood[,album,year,duration]');
  process.exit(2);
}
if (!fs.existsSync(file)) {
  console.error(`No such file: ${file}`);
  process.exit(2);
}

const config = loadConfig();
const db = await createDb(config.database);
try {
  await migrateLatest(db);
  const audio = audioServiceFor(config, db);
  const lastBefore = await createAudioRepository(db).lastSongId();
  const input = fs.createReadStream(file);
  const bar = process.stderr.isTTY
    ? new SingleBar(
        { format: 'Importing [{bar}] {percentage}% | {value}/{total} bytes | {eta_formatted} left', stream: process.stderr },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(fs.statSync(file).size, 0);
  const started = performance.now();
  const report = await runImport(createImportRepository(db), rowsOf(input, (formatFlag as ImportFormat) ?? formatOf(file)), {
    run: { actor: CLI_ACTOR, fileName: path.basename(file) },
    onProgress: () => bar?.update(input.bytesRead),
  });
  bar?.update(input.bytesRead);
  bar?.stop();
  const seconds = (performance.now() - started) / 1000;

  console.log(`Imported:        ${report.imported} (${report.newSongs} new songs)`);
  console.log(`Already present: ${report.alreadyPresent}`);
  console.log(`Rejected:        ${report.rejected}`);
  for (const { line, reason } of report.rejections) console.log(`  line ${line}: ${reason}`);
  if (report.rejected > report.rejections.length) console.log(`  … and ${report.rejected - report.rejections.length} more`);
  console.log(`Done in ${seconds.toFixed(1)} s.`);
  // New songs whose audio is this site's own (/media/…) are measured like uploads.
  if (report.newSongs > 0) {
    const measured = await analyzeWithProgress(audio, { afterId: lastBefore }, new AbortController().signal, 'Measuring');
    if (measured.total > 0) console.log(`Measured:        ${measured.done} of ${measured.total} songs whose audio is ours`);
  }
  process.exitCode = report.rejected ? 1 : 0;
} catch (err) {
  if (!(err instanceof ImportFormatError)) throw err;
  console.error(err.message);
  process.exitCode = 2;
} finally {
  await db.destroy();
}
