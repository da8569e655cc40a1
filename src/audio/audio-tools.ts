// The audio service as the entry points other than the app build it (the CLIs, the start-up's
// demo rendering): the same parts createApp builds, from the config, on their own database handle.
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import { createCoverStore } from '../media/cover-store.js';
import { createDemoAudio } from '../media/demo-audio.js';
import { createFfmpeg } from '../media/ffmpeg.js';
import { createUploadStore } from '../media/upload-store.js';
import { createAudioRepository } from './audio.repository.js';
import { createAudioService } from './audio.service.js';

export function audioServiceFor(config: Pick<Config, 'ffmpegPath' | 'demoAudioDir' | 'uploadDir'>, db: Db) {
  const ffmpeg = createFfmpeg(config.ffmpegPath);
  return createAudioService({
    ffmpeg,
    uploads: createUploadStore(config.uploadDir),
    covers: createCoverStore(config.uploadDir),
    demo: createDemoAudio({ dir: config.demoAudioDir, ffmpeg }),
    songs: createAudioRepository(db),
  });
}
