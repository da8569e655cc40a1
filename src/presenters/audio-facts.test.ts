import { describe, expect, it } from 'vitest';
import { describeFile, describeLoudness } from './audio-facts.js';

describe('audio facts in words', () => {
  it('when every figure is known, then length, bit rate and size are joined', () => {
    expect(describeFile({ durationSeconds: 185, bitRate: 1411, sizeBytes: 32_100_000 })).toBe('3:05 · 1,411 kbit/s · 32.1 MB');
  });

  it('when only some are known, then only those are shown', () => {
    expect(describeFile({ durationSeconds: 61, bitRate: null, sizeBytes: null })).toBe('1:01');
    expect(describeFile({})).toBe('');
  });

  it('when a song was measured, then its loudness and true peak read with real minus signs', () => {
    expect(describeLoudness({ lufs: -9.14, truePeakDb: -0.3 })).toBe('−9.1 LUFS, true peak −0.3 dBTP');
  });

  it('when it was not, then the admin reads that it was not', () => {
    expect(describeLoudness(null)).toBe('loudness not measured');
  });
});
