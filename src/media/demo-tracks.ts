// Demo songs live at /media/demo/<seed>.wav (media.routes.ts renders them from the seed).

/** A seed is 1–7 dash-separated lowercase words: `weed-groovin-07`, `weed-thug-life-12`. */
export const DEMO_FILE = /^([a-z0-9]+(?:-[a-z0-9]+){0,6})\.wav$/;

/** The URL stored in songs.url for a demo song. */
export function demoTrackUrl(seed: string): string {
  // Fail while seeding rather than store a URL that will 404 when played.
  if (!DEMO_FILE.test(`${seed}.wav`)) throw new Error(`Invalid demo track seed: ${JSON.stringify(seed)}`);
  return `/media/demo/${seed}.wav`;
}
