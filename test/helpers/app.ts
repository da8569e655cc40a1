import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Db } from '../../src/db/knex.js';

export const testConfig = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  UPLOAD_DIR: path.join(os.tmpdir(), `stereodose-uploads-${process.pid}-${process.env.VITEST_POOL_ID ?? 0}`),
  DEMO_AUDIO_DIR: path.join(os.tmpdir(), `stereodose-demo-audio-${process.pid}-${process.env.VITEST_POOL_ID ?? 0}`),
});

// Every app makes its upload folder (with .incoming inside): leave none behind in the temp dir.
afterAll(() => {
  fs.rmSync(testConfig.uploadDir, { recursive: true, force: true });
  fs.rmSync(testConfig.demoAudioDir, { recursive: true, force: true });
});

export function createTestApp(db: Db, options: { random?: () => number; config?: Partial<Config> } = {}) {
  return createApp({ config: { ...testConfig, ...options.config }, db, random: options.random });
}
