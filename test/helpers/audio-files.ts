// Audio files for the tests, made as a listener's collection would have them: a demo-like track at
// a chosen level (WAV, from the built-in synthesizer), an MP3 with ID3 tags and an embedded cover,
// a FLAC. The MP3 and FLAC are encoded by ffmpeg, which the suite needs anyway (loudness).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderDemoTrack } from '../../src/media/demo-synth.js';

const run = (args: string[]) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'stereodose-audio-'));
}

/** A demo song's WAV with every sample scaled by `db` decibels (negative: quieter). */
export function demoWavAt(seed: string, db: number): Buffer {
  const wav = Buffer.from(renderDemoTrack(seed));
  const gain = 10 ** (db / 20);
  for (let at = 44; at + 1 < wav.length; at += 2) {
    wav.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(wav.readInt16LE(at) * gain))), at);
  }
  return wav;
}

/** A 300×300 JPEG test card: a cover as taggers embed them. */
export function jpegCover(): Buffer {
  const dir = scratch();
  try {
    const file = path.join(dir, 'cover.jpg');
    run(['-f', 'lavfi', '-i', 'testsrc=size=300x300', '-frames:v', '1', file]);
    return fs.readFileSync(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface Id3Tags {
  title: string;
  artist: string;
  album: string;
  year: number;
  track: number;
}

/** `seconds` of a tone as a 128 kbit/s MP3 with ID3v2.3 tags and, when given, `cover` as its front cover. */
export function taggedMp3(tags: Id3Tags, { seconds = 4, cover }: { seconds?: number; cover?: Buffer } = {}): Buffer {
  const dir = scratch();
  try {
    const out = path.join(dir, 'tagged.mp3');
    const inputs = ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`];
    const art: string[] = [];
    if (cover) {
      fs.writeFileSync(path.join(dir, 'cover.jpg'), cover);
      inputs.push('-i', path.join(dir, 'cover.jpg'));
      art.push('-map', '1:v', '-c:v', 'copy', '-metadata:s:v', 'title=Album cover', '-metadata:s:v', 'comment=Cover (front)');
    }
    const metadata = Object.entries(tags).flatMap(([key, value]) => ['-metadata', `${key === 'year' ? 'date' : key}=${value}`]);
    run([...inputs, '-map', '0:a', ...art, '-c:a', 'libmp3lame', '-b:a', '128k', '-id3v2_version', '3', ...metadata, out]);
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The same audio as FLAC. */
export function flacOf(wav: Buffer): Buffer {
  const dir = scratch();
  try {
    fs.writeFileSync(path.join(dir, 'in.wav'), wav);
    run(['-i', path.join(dir, 'in.wav'), '-c:a', 'flac', path.join(dir, 'out.flac')]);
    return fs.readFileSync(path.join(dir, 'out.flac'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
