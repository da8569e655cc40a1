import { describe, expect, it } from 'vitest';
import { DEMO_SAMPLE_RATE, demoTrackDuration, renderDemoTrack } from './demo-synth.js';

/** Reads the fields of a canonical 44-byte WAV header. */
function parseWav(wav: Buffer) {
  return {
    riff: wav.toString('ascii', 0, 4),
    riffSize: wav.readUInt32LE(4),
    wave: wav.toString('ascii', 8, 12),
    fmt: wav.toString('ascii', 12, 16),
    fmtSize: wav.readUInt32LE(16),
    format: wav.readUInt16LE(20),
    channels: wav.readUInt16LE(22),
    sampleRate: wav.readUInt32LE(24),
    byteRate: wav.readUInt32LE(28),
    blockAlign: wav.readUInt16LE(32),
    bitsPerSample: wav.readUInt16LE(34),
    data: wav.toString('ascii', 36, 40),
    dataSize: wav.readUInt32LE(40),
  };
}

function peakDbfs(wav: Buffer): number {
  let peak = 0;
  for (let i = 44; i < wav.length; i += 2) peak = Math.max(peak, Math.abs(wav.readInt16LE(i)));
  return 20 * Math.log10(peak / 32768);
}

function rmsDbfs(wav: Buffer): number {
  let sum = 0;
  for (let i = 44; i < wav.length; i += 2) sum += (wav.readInt16LE(i) / 32768) ** 2;
  return 10 * Math.log10(sum / ((wav.length - 44) / 2));
}

const STYLE_SEEDS = ['weed-groovin-07', 'ecstasy-dance-31', 'shrooms-space-44', 'lsd-trippy-02', 'polka-sunday-01'];

describe('demoTrackDuration', () => {
  it('when given many seeds, then every duration is a whole number of seconds in 25..70 and several differ', () => {
    const durations = Array.from({ length: 300 }, (_, i) => demoTrackDuration(`weed-chill-${i}`));
    for (const d of durations) {
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(25);
      expect(d).toBeLessThanOrEqual(70);
    }
    expect(new Set(durations).size).toBeGreaterThan(30);
    expect(Math.min(...durations)).toBe(25);
    expect(Math.max(...durations)).toBe(70);
  });

  it('when asked twice for the same seed, then it answers the same', () => {
    expect(demoTrackDuration('lsd-calm-13')).toBe(demoTrackDuration('lsd-calm-13'));
  });
});

describe('renderDemoTrack', () => {
  it('when the same seed is rendered twice, then the bytes are identical', () => {
    const a = renderDemoTrack('ecstasy-rolling-05');
    const b = renderDemoTrack('ecstasy-rolling-05');
    expect(a.equals(b)).toBe(true);
  });

  it('when neighbouring seeds are rendered, then the tracks differ', () => {
    const a = renderDemoTrack('weed-chill-01');
    const b = renderDemoTrack('weed-chill-02');
    expect(a.equals(b)).toBe(false);
  });

  it('when a track is rendered, then its header describes 16-bit mono PCM at 22050 Hz of the promised length', () => {
    const seed = 'shrooms-matrix-17';
    const wav = renderDemoTrack(seed);
    const seconds = demoTrackDuration(seed);
    const dataSize = DEMO_SAMPLE_RATE * 2 * seconds;
    expect(DEMO_SAMPLE_RATE).toBe(22050);
    expect(parseWav(wav)).toEqual({
      riff: 'RIFF',
      riffSize: 36 + dataSize,
      wave: 'WAVE',
      fmt: 'fmt ',
      fmtSize: 16,
      format: 1,
      channels: 1,
      sampleRate: 22050,
      byteRate: 44100,
      blockAlign: 2,
      bitsPerSample: 16,
      data: 'data',
      dataSize,
    });
    expect(wav.length).toBe(44 + dataSize);
  });

  it.each(STYLE_SEEDS)('when the style seed %s is rendered, then it is audible, peaks near -3 dBFS and never clips', (seed) => {
    const wav = renderDemoTrack(seed);
    expect(wav.length).toBe(44 + DEMO_SAMPLE_RATE * 2 * demoTrackDuration(seed));
    const peak = peakDbfs(wav);
    expect(peak).toBeGreaterThan(-12);
    expect(peak).toBeLessThan(-1);
    expect(rmsDbfs(wav)).toBeGreaterThan(-30);
  });

  it('when a track starts and ends, then it fades in from and out to silence (no click)', () => {
    const wav = renderDemoTrack('ecstasy-floored-40'); // a kick on the very first beat
    const samples = Int16Array.from({ length: (wav.length - 44) / 2 }, (_, i) => wav.readInt16LE(44 + 2 * i));
    const peakOf = (from: number, to: number) => Math.max(...samples.subarray(from, to).map(Math.abs)) / 32768;
    const ms = (n: number) => Math.round((n * DEMO_SAMPLE_RATE) / 1000);
    expect(samples[0]).toBe(0);
    expect(Math.abs(samples.at(-1)!)).toBeLessThanOrEqual(1);
    expect(peakOf(0, ms(10))).toBeLessThan(0.03);
    expect(peakOf(samples.length - ms(50), samples.length)).toBeLessThan(0.03);
    expect(peakOf(samples.length / 2 - ms(1000), samples.length / 2)).toBeGreaterThan(0.1);
  });
});
