// npm run db:check [-- --repair]: verifies every genre's numbering and its members' copies of
// their songs; exits 1 naming what is wrong.
import { loadConfig } from '../config.js';
import { createDb } from '../db/knex.js';
import { checkGenres, repairCopies, repairGenre } from './check.js';

const db = await createDb(loadConfig().database);
try {
  const problems = await checkGenres(db);
  const genres = await db('moods').count({ n: '*' }).first();
  if (problems.length === 0) {
    console.log(`All ${genres?.n ?? 0} genres are consistent: numbers 1..N, counts exact, copies of songs exact.`);
  } else {
    for (const p of problems) console.error(`${p.genre} (genre ${p.genreId}): ${p.problem}`);
    if (process.argv.includes('--repair')) {
      for (const genreId of new Set(problems.map((p) => p.genreId))) {
        const n = await repairGenre(db, genreId);
        await repairCopies(db, genreId);
        console.log(`Repaired genre ${genreId}: renumbered 1..${n}, copies of its songs rewritten.`);
      }
      const left = await checkGenres(db);
      process.exitCode = left.length ? 1 : 0;
      if (!left.length) console.log('All genres are consistent now.');
    } else {
      console.error(`${problems.length} problem(s). Run with --repair to renumber the broken genres.`);
      process.exitCode = 1;
    }
  }
} finally {
  await db.destroy();
}
