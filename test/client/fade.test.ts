// The volume ramps' pure parts (client/fade.ts); the browser tests hear them in test/e2e/comforts.test.ts.
import { describe, expect, it } from 'vitest';
import { fadeIn, fadeOut, rampProgress } from '../../client/engine/fade.js';

describe('the fade curves', () => {
  it('when a crossfade runs, then the two gains keep the power of one track all along', () => {
    for (let t = 0; t <= 1; t += 0.05) expect(fadeOut(t) ** 2 + fadeIn(t) ** 2).toBeCloseTo(1, 10);
  });

  it('when the ramp starts and ends, then the fade out goes from 1 to 0 and the fade in the other way, falling and rising steadily', () => {
    expect(fadeOut(0)).toBe(1);
    expect(fadeOut(1)).toBeCloseTo(0, 10);
    expect(fadeIn(0)).toBe(0);
    expect(fadeIn(1)).toBe(1);
    for (let t = 0.1; t <= 1; t += 0.1) {
      expect(fadeOut(t)).toBeLessThan(fadeOut(t - 0.1));
      expect(fadeIn(t)).toBeGreaterThan(fadeIn(t - 0.1));
    }
  });

  it('when the time is outside the ramp or unknown, then the curves hold at their ends', () => {
    expect(fadeOut(-1)).toBe(1);
    expect(fadeOut(2)).toBeCloseTo(0, 10);
    expect(fadeIn(Number.NaN)).toBe(0);
  });
});

describe('rampProgress', () => {
  it('when a ramp of 4 s began at 10 s, then 12 s is halfway and before or after it is 0 or 1', () => {
    expect(rampProgress(12, 10, 4)).toBe(0.5);
    expect(rampProgress(9, 10, 4)).toBe(0);
    expect(rampProgress(15, 10, 4)).toBe(1);
  });

  it('when the ramp has no length, then it is already over', () => {
    expect(rampProgress(0, 0, 0)).toBe(1);
  });
});
