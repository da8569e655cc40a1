// `npm run bench:audio`: what an hour of listening costs on the wire, before and after the
// compressed copies. Measured on files, not computed from nominal bit rates:
//   demo catalog  every demo song's synthesized WAV (what /media/demo/<seed>.wav sends) against its
//                 rendered AAC (/media/demo/<seed>.m4a), total bytes over total seconds;
//   an upload     a 3-minute CD-quality song (stereo, 44.1 kHz, 16 bits: the demo synthesizer's
//                 songs, resampled, a different run of them on each channel) as WAV and as FLAC, against the AAC copy
//                 listeners now stream instead, made by the same code as an upload's.
// Needs ffmpeg. The demo's renders come from the cache the browser tests keep (rendered first if
// missing, which takes a few minutes once).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFile } from 'music-metadata';
import { demoSongs } from '../seeds/demo-catalog.js';
import { demoOriginal } from '../src/media/demo-audio.js';
import { demoTrackDuration, renderDemoTrack } from '../src/media/demo-synth.js';
import { createFfmpeg } from '../src/media/ffmpeg.js';
import { encodeWebCopy } from '../src/media/web-copy.js';
import { DEMO_AUDIO_CACHE, renderDemoAudio } from '../test/e2e/server.js';

const HOUR = 3600;
const mbPerHour = (bytes: number, seconds: number) => ((bytes / seconds) * HOUR) / 1e6;
const kbit = (bytes: number, seconds: number) => (bytes * 8) / seconds / 1000;

async function demoCatalog() {
  await renderDemoAudio();
  let wavBytes = 0;
  let aacBytes = 0;
  let seconds = 0;
  let aacSeconds = 0;
  for (const { seed } of demoSongs()) {
    wavBytes += demoOriginal(seed).sizeBytes;
    seconds += demoTrackDuration(seed);
    const file = path.join(DEMO_AUDIO_CACHE, `${seed}.m4a`);
    aacBytes += fs.statSync(file).size;
    aacSeconds += (await parseFile(file, { duration: true })).format.duration ?? 0;
  }
  return {
    songs: demoSongs().length,
    hours: seconds / HOUR,
    before: mbPerHour(wavBytes, seconds),
    after: mbPerHour(aacBytes, aacSeconds),
    beforeKbit: kbit(wavBytes, seconds),
    afterKbit: kbit(aacBytes, aacSeconds),
  };
}

async function upload() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stereodose-bench-audio-'));
  try {
    // Three minutes of music as CD audio: demo songs end to end, different ones on each channel
    // (two copies of one channel would flatter FLAC, which stores their difference).
    const run = (args: string[]) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
    const channel = (name: string, seeds: string[]) => {
      const files = seeds.map((seed) => {
        const file = path.join(dir, `${seed}.wav`);
        fs.writeFileSync(file, renderDemoTrack(seed));
        return file;
      });
      const list = path.join(dir, `${name}.txt`);
      fs.writeFileSync(list, files.map((f) => `file '${f}'`).join('\n'));
      return list;
    };
    const left = channel('left', ['weed-groovin-01', 'ecstasy-dance-02', 'shrooms-space-03', 'lsd-rockstar-04', 'weed-chill-05', 'ecstasy-rolling-06']);
    const right = channel('right', ['lsd-trippy-01', 'shrooms-matrix-02', 'weed-thug-life-03', 'ecstasy-floored-04', 'lsd-calm-05', 'shrooms-shaman-06']);
    const wav = path.join(dir, 'song.wav');
    run([
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      left,
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      right,
      '-filter_complex',
      '[0:a][1:a]amerge=inputs=2',
      '-t',
      '180',
      '-ar',
      '44100',
      '-c:a',
      'pcm_s16le',
      wav,
    ]);
    const flac = path.join(dir, 'song.flac');
    run(['-i', wav, '-c:a', 'flac', flac]);
    const aac = path.join(dir, 'song.m4a');
    await encodeWebCopy(createFfmpeg('ffmpeg'), wav, aac, { channels: 2 });
    const seconds = 180;
    const size = (file: string) => fs.statSync(file).size;
    return {
      wav: mbPerHour(size(wav), seconds),
      flac: mbPerHour(size(flac), seconds),
      aac: mbPerHour(size(aac), seconds),
      wavKbit: kbit(size(wav), seconds),
      flacKbit: kbit(size(flac), seconds),
      aacKbit: kbit(size(aac), seconds),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!(await createFfmpeg('ffmpeg').available())) throw new Error('ffmpeg is needed (apt-get install ffmpeg)');
  const demo = await demoCatalog();
  const song = await upload();
  const f = (x: number) => x.toFixed(1);
  console.log(`\nBytes per listening hour (MB = 10^6 bytes), measured on the files\n`);
  console.log('| Audio | before | after | saved |');
  console.log('|---|---:|---:|---:|');
  console.log(
    `| Demo catalog (${demo.songs} songs, ${f(demo.hours)} h): synthesized WAV → AAC | ${f(demo.before)} MB (${demo.beforeKbit.toFixed(0)} kbit/s) | ${f(demo.after)} MB (${demo.afterKbit.toFixed(0)} kbit/s) | ${(demo.before / demo.after).toFixed(1)}× less |`,
  );
  console.log(
    `| A CD-quality WAV upload (stereo, 44.1 kHz) → AAC | ${f(song.wav)} MB (${song.wavKbit.toFixed(0)} kbit/s) | ${f(song.aac)} MB (${song.aacKbit.toFixed(0)} kbit/s) | ${(song.wav / song.aac).toFixed(1)}× less |`,
  );
  console.log(
    `| The same as a FLAC upload → AAC | ${f(song.flac)} MB (${song.flacKbit.toFixed(0)} kbit/s) | ${f(song.aac)} MB (${song.aacKbit.toFixed(0)} kbit/s) | ${(song.flac / song.aac).toFixed(1)}× less |`,
  );
}

await main();
