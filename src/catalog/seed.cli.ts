// npm run db:seed: migrates, then adds whatever part of the demo catalog is missing, and renders the
// demo songs' compressed audio still missing (with ffmpeg; without it they stream synthesized WAV).
import { seedDemoCatalog } from '../../seeds/demo-catalog.js';
import { analyzeWithProgress } from '../audio/analysis-progress.js';
import { audioServiceFor } from '../audio/audio-tools.js';
import { loadConfig } from '../config.js';
import { createDb } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';

const config = loadConfig();
const db = await createDb(config.database);
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
try {
  await migrateLatest(db);
  const { songs, memberships } = await seedDemoCatalog(db);
  console.log(`Demo catalog: ${songs} songs; ${memberships} new genre memberships.`);
  const audio = audioServiceFor(config, db);
  if (!(await audio.canMeasure())) console.log(`ffmpeg was not found (FFMPEG_PATH=${config.ffmpegPath}): the demo songs stream as synthesized WAV.`);
  const report = await analyzeWithProgress(audio, { demoOnly: true }, stop.signal, 'Rendering the demo audio');
  console.log(`Demo audio: ${report.done} songs brought up to date; ${report.failed.length} failed.`);
  for (const f of report.failed) console.log(`  ${f.url}: ${f.reason}`);
  if (report.failed.length) process.exitCode = 1;
} finally {
  await db.destroy();
}
