// The sleep timer's pure parts (client/sleep-timer.ts): its cycle, its fade and its countdown.
import { describe, expect, it } from 'vitest';
import { formatLeft, nextSleepChoice, SLEEP_CHOICES, SLEEP_FADE_SECONDS, sleepGain, type SleepChoice } from '../../client/engine/sleep-timer.js';

describe('the t key', () => {
  it('when pressed from off again and again, then it goes 15, 30, 60 minutes, the end of the track, and off', () => {
    const seen: SleepChoice[] = [];
    let choice: SleepChoice = 'off';
    for (let i = 0; i < SLEEP_CHOICES.length; i++) {
      choice = nextSleepChoice(choice);
      seen.push(choice);
    }
    expect(seen).toEqual([15, 30, 60, 'track', 'off']);
  });
});

describe('the fade before the timer fires', () => {
  it('when more than the fade is left, then the volume is whole; it falls through the last 10 s to nothing', () => {
    expect(SLEEP_FADE_SECONDS).toBe(10);
    expect(sleepGain(600)).toBe(1);
    expect(sleepGain(10)).toBe(1);
    expect(sleepGain(5)).toBeCloseTo(Math.SQRT1_2, 10);
    expect(sleepGain(0)).toBeCloseTo(0, 10);
    expect(sleepGain(-1)).toBeCloseTo(0, 10);
    for (let left = 9; left >= 0; left--) expect(sleepGain(left)).toBeLessThan(sleepGain(left + 1));
  });

  it('when the track is shorter than the fade, then it fades over all of it', () => {
    expect(sleepGain(6, 6)).toBe(1);
    expect(sleepGain(3, 6)).toBeCloseTo(Math.SQRT1_2, 10);
  });
});

describe('formatLeft', () => {
  it('when time is left, then it shows minutes and seconds rounded up, minutes past 59 too', () => {
    expect(formatLeft(3600)).toBe('60:00');
    expect(formatLeft(872.2)).toBe('14:33');
    expect(formatLeft(0.4)).toBe('0:01');
    expect(formatLeft(0)).toBe('0:00');
    expect(formatLeft(Number.NaN)).toBe('0:00');
  });
});
