// The crossfade's pure parts (client/crossfade.ts): its cycle, the stored setting, the fade's length and the tail's catching up.
import { describe, expect, it } from 'vitest';
import { catchUpRate, fadeLength, nextCrossfade, parseCrossfade } from '../../client/engine/crossfade.js';

describe('the c key', () => {
  it('when pressed from off again and again, then it goes 2, 4, 6, 8 seconds and off', () => {
    const seen: number[] = [];
    let seconds = 0;
    for (let i = 0; i < 5; i++) {
      seconds = nextCrossfade(seconds);
      seen.push(seconds);
    }
    expect(seen).toEqual([2, 4, 6, 8, 0]);
  });

  it('when the slider set an odd length, then the key goes on to the next even one', () => {
    expect(nextCrossfade(3)).toBe(4);
    expect(nextCrossfade(7)).toBe(8);
  });
});

describe('the stored setting', () => {
  it('when it is a whole number of seconds from 0 to 8, then it is used; anything else is off', () => {
    expect(parseCrossfade('2')).toBe(2);
    expect(parseCrossfade('8')).toBe(8);
    for (const text of [null, '', '9', '-2', '2.5', 'two']) expect(parseCrossfade(text)).toBe(0);
  });
});

describe('fadeLength', () => {
  it('when the track is long, then the fade is the setting; a short track fades over a third of itself at most', () => {
    expect(fadeLength(8, 40)).toBe(8);
    expect(fadeLength(8, 12)).toBe(4);
    expect(fadeLength(0, 40)).toBe(0);
  });
});

describe('catchUpRate', () => {
  it('when the silent tail runs ahead or behind, then it slows down or speeds up within bounds; in step it plays at 1', () => {
    expect(catchUpRate(0.05)).toBeCloseTo(0.9);
    expect(catchUpRate(-0.05)).toBeCloseTo(1.1);
    expect(catchUpRate(1)).toBe(0.8);
    expect(catchUpRate(-1)).toBe(1.2);
    expect(catchUpRate(0.001)).toBe(1);
    expect(catchUpRate(Number.NaN)).toBe(1);
  });
});
