// npm run audio:analyze [-- --all]: brings every song whose audio Stereodose holds (demo songs,
// uploads) up to date: its loudness, its duration, bit rate and size, its compressed copy (demo
// songs, WAV and FLAC uploads) and its cover. Only what is missing, unless --all. A progress bar on a
// terminal, then a summary naming every song that failed. Exit 0 when every song is up to date,
// 1 when some failed or ffmpeg is missing (loudness then waits), 2 for a wrong argument.
import { loadConfig } from '../config.js';
import { createDb } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';
import { analyzeWithProgress } from './analysis-progress.js';
import { audioServiceFor } from './audio-tools.js';

const args = process.argv.slice(2);
if (args.some((a) => a !== '--all')) {
  console.error('Usage: npm run audio:analyze [-- --all]\n  --all  measure every held song again, not only those missing something');
  process.exit(2);
}
const all = args.includes('--all');

const config = loadConfig();
const db = await createDb(config.database);
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
try {
  await migrateLatest(db);
  const audio = audioServiceFor(config, db);
  const measures = await audio.canMeasure();
  if (!measures)
    console.error(`ffmpeg was not found (FFMPEG_PATH=${config.ffmpegPath}): reading file facts and covers only; loudness and compressed copies wait.`);
  const started = performance.now();
  const report = await analyzeWithProgress(audio, { all }, stop.signal);
  const seconds = (performance.now() - started) / 1000;
  console.log(`Held songs needing analysis: ${report.total}`);
  console.log(`Brought up to date:          ${report.done}`);
  console.log(`Failed:                      ${report.failed.length}`);
  for (const f of report.failed) console.log(`  song ${f.id} “${f.title}” (${f.url}): ${f.reason}`);
  if (stop.signal.aborted) console.log('Stopped before the end: run it again to go on.');
  console.log(`Done in ${seconds.toFixed(1)} s.`);
  process.exitCode = report.failed.length || !measures || stop.signal.aborted ? 1 : 0;
} finally {
  await db.destroy();
}
