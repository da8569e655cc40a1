import { describe, expect, it } from 'vitest';
import { normalizationGainDb, PEAK_CEILING_DBTP, PLAYER_TARGET_LUFS, replayGainOf } from './song-media.js';

describe('normalizationGainDb', () => {
  it('when a song is louder than the target, then it is turned down by the difference', () => {
    expect(normalizationGainDb({ lufs: -8, truePeakDb: -0.2 })).toBe(PLAYER_TARGET_LUFS + 8);
  });

  it('when a quiet song has headroom, then it is raised to the target', () => {
    expect(normalizationGainDb({ lufs: -24, truePeakDb: -12 })).toBe(10);
  });

  it('when raising a song to the target would push its true peak past the ceiling, then the gain stops at the ceiling', () => {
    expect(normalizationGainDb({ lufs: -30, truePeakDb: -6 })).toBe(PEAK_CEILING_DBTP + 6);
  });

  it('when two copies of a song differ by 20 dB and both have headroom, then their gains differ by 20 dB', () => {
    const loud = normalizationGainDb({ lufs: -16.4, truePeakDb: -5 })!;
    const quiet = normalizationGainDb({ lufs: -36.4, truePeakDb: -25 })!;
    expect(quiet - loud).toBeCloseTo(20, 5);
  });

  it('when nothing was measured, then there is no gain (unity)', () => {
    expect(normalizationGainDb(null)).toBeNull();
  });

  it('when a song is digital silence (the meter floor, no peak), then nothing lifts it', () => {
    expect(normalizationGainDb({ lufs: -70, truePeakDb: null })).toBeNull();
  });
});

describe('replayGainOf', () => {
  it('when a song was measured, then its track gain counts from -18 LUFS and its peak is linear', () => {
    expect(replayGainOf({ lufs: -9.5, truePeakDb: -0.5 })).toEqual({ trackGain: -8.5, trackPeak: 0.944061 });
  });

  it('when a song was not measured, then replayGain holds nothing', () => {
    expect(replayGainOf(null)).toEqual({});
  });
});
