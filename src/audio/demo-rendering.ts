// At start-up, the demo songs whose compressed audio is not rendered yet (a first start, or a
// catalog seeded before renders existed) are rendered in the background by the process that
// prepared the database, one at a time so a core stays free for listeners; until a song's render is
// there it streams the synthesized WAV, as before. Renders already made (DEMO_AUDIO_DIR) are taken
// before the server listens (db/prepare.ts), so a site whose renders exist serves them at once.
import type { Config } from '../config.js';
import { createDb } from '../db/knex.js';
import type { Logger } from '../logger.js';
import { audioServiceFor } from './audio-tools.js';

export interface BackgroundJob {
  /** Stops the work (a render in progress is abandoned) and waits until it has. */
  stop(): Promise<void>;
}

export function startDemoRendering(config: Readonly<Config>, logger: Logger): BackgroundJob {
  const controller = new AbortController();
  const { signal } = controller;
  const done = (async () => {
    const db = await createDb(config.database, { logger });
    try {
      const audio = audioServiceFor(config, db);
      if (!(await audio.canMeasure())) {
        logger.info({ ffmpegPath: config.ffmpegPath }, 'ffmpeg not found: demo songs stream as synthesized WAV, and loudness is not measured');
        return;
      }
      let total = 0;
      let step = 0;
      const report = await audio.analyzeAll(
        { demoOnly: true },
        {
          signal,
          concurrency: 1,
          onProgress(through, all) {
            if (through === 1) logger.info({ songs: all }, 'rendering the demo songs’ compressed audio in the background');
            total = all;
            // A line at every tenth, not at every song.
            if (Math.floor((10 * through) / all) > step) logger.info({ rendered: through, of: all }, 'demo audio rendering');
            step = Math.floor((10 * through) / all);
          },
        },
      );
      if (total > 0 && !signal.aborted) logger.info({ rendered: report.done, failed: report.failed.length }, 'demo audio rendered');
      for (const failure of report.failed) logger.warn(failure, 'a demo song could not be rendered');
    } catch (err) {
      if (!signal.aborted) logger.error({ err }, 'demo audio rendering stopped');
    } finally {
      await db.destroy();
    }
  })();
  return {
    async stop() {
      controller.abort();
      await done;
    },
  };
}
