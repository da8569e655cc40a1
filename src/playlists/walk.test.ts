import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.js';
import { walkStart } from './cursor.js';
import { createWalker } from './walk.js';

/** `steps` rows of a walker over a genre that has `size(step)` songs at each step. */
function walkRows(size: (step: number) => number, steps: number, dose = 'testdose01') {
  const random = seededRandom(3);
  let cursor = walkStart(dose, size(0));
  const rows: { row: number; walk: number }[] = [];
  let walk = 0;
  for (let step = 0; step < steps; step++) {
    const walker = createWalker(cursor, size(step), random); // one step per batch, as a listener would go
    const row = walker.next()!;
    if (walker.walks > 0) walk += 1;
    rows.push({ row, walk });
    cursor = walker.cursor();
  }
  return rows;
}

describe('createWalker', () => {
  it('when the genre is unchanged, then each walk plays every row once, and the next walk begins after', () => {
    const rows = walkRows(() => 50, 120);
    for (const w of [0, 1]) {
      const played = rows.filter((r) => r.walk === w).map((r) => r.row);
      expect([...played].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    }
  });

  it('when songs join a genre of 1,000 after the walk began, then each plays before that walk ends, at spread-out places', () => {
    const joinedAt: number[] = [];
    for (let d = 0; d < 40; d++) {
      // 10 songs join after 100 steps: rows 1001..1010.
      const rows = walkRows((step) => (step < 100 ? 1000 : 1010), 1010, `dose${d}abcd`);
      expect(rows.every((r) => r.walk === 0)).toBe(true); // 1,010 steps: the first walk, exactly
      const places = rows.flatMap((r, step) => (r.row > 1000 ? [step] : []));
      expect(places).toHaveLength(10);
      joinedAt.push(...places);
      expect(new Set(rows.map((r) => r.row)).size).toBe(1010);
    }
    // Uniform over the 910 steps left after they joined: the mean near the middle (555), some early, some late.
    const mean = joinedAt.reduce((a, b) => a + b, 0) / joinedAt.length;
    expect(mean).toBeGreaterThan(480);
    expect(mean).toBeLessThan(630);
    expect(Math.min(...joinedAt)).toBeLessThan(200);
    expect(Math.max(...joinedAt)).toBeGreaterThan(900);
  });

  it('when a song joins at every step for a while, then none repeats and all play before the walk ends', () => {
    // 20 songs, then one more at each of the next 15 steps: 35 in all.
    const rows = walkRows((step) => 20 + Math.min(step, 15), 60);
    const firstWalk = rows.filter((r) => r.walk === 0).map((r) => r.row);
    expect([...firstWalk].sort((a, b) => a - b)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    expect(rows[35]!.walk).toBe(1);
  });

  it('when the genre more than doubles or halves, then the walk starts over on the genre as it is', () => {
    const start = walkStart('growdose01', 10);
    expect(createWalker(start, 21, seededRandom(1)).cursor()).toMatchObject({ size: 21, position: 0, joined: 0 });
    expect(createWalker(start, 4, seededRandom(1)).cursor()).toMatchObject({ size: 4, position: 0, joined: 0 });
    expect(createWalker(start, 20, seededRandom(1)).cursor()).toEqual(start);
  });

  it('when the genre shrank and grew again since the last batch, then the songs above its low point play as newcomers', () => {
    // A walk over 10 that has played 9 positions; the genre went down to 8, then a song joined: 9.
    let cursor = { ...walkStart('lowdose001', 10), position: 9 };
    cursor = createWalker(cursor, 8, seededRandom(1)).cursor();
    expect(cursor).toMatchObject({ low: 8, joined: 0 });
    const walker = createWalker(cursor, 9, seededRandom(1));
    const rows = [walker.next(), walker.next()];
    expect(rows).toContain(9); // the newcomer, though row 9's position may have been walked already
  });

  it('when the same dose is walked over an unchanged genre, then the walk is the same', () => {
    expect(walkRows(() => 300, 300, 'samedose00')).toEqual(walkRows(() => 300, 300, 'samedose00'));
  });

  it('when the genre is empty, then there is nothing to play', () => {
    expect(createWalker(walkStart('emptydose0', 0), 0, seededRandom(1)).next()).toBeUndefined();
  });
});
