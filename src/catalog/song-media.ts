// What a listener's player needs of a song's audio beyond its URL: the gain that brings it to the
// player's loudness target, and its artwork. Pure rules, shared by the JSON API, the pages and the
// Subsonic answers, so every player hears the same song at the same level.

/** The web player's target: what streaming services aim at, so a mood radio sits beside them. */
export const PLAYER_TARGET_LUFS = -14;
/** ReplayGain 2.0's reference level: a Subsonic app's `trackGain` is counted from it. */
export const REPLAYGAIN_REFERENCE_LUFS = -18;
/** No gain may push a song's true peak above this, so a boosted quiet song never clips. */
export const PEAK_CEILING_DBTP = -1;

/** The audio Stereodose holds (demo songs, uploads): the only songs whose loudness is measured. */
export const isHeldAudio = (url: string) => url.startsWith('/media/');

/** The meter's floor: a song measured at or below it is silence, which no gain should lift. */
export const SILENCE_LUFS = -70;

/** The measurement a song carries, when it was measured. */
export interface Loudness {
  /** Integrated loudness, LUFS. */
  lufs: number;
  /** True peak, dBTP (−Infinity for digital silence is stored as null and reads as no limit). */
  truePeakDb: number | null;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The gain in dB that brings a song to `target`, lowered where the song's true peak would pass
 * PEAK_CEILING_DBTP. Null when there is nothing measured: the player leaves the song as it is.
 */
export function normalizationGainDb(loudness: Loudness | null, target = PLAYER_TARGET_LUFS): number | null {
  if (!loudness || loudness.lufs <= SILENCE_LUFS) return null;
  const toTarget = target - loudness.lufs;
  const headroom = loudness.truePeakDb === null ? Number.POSITIVE_INFINITY : PEAK_CEILING_DBTP - loudness.truePeakDb;
  return round2(Math.min(toTarget, headroom));
}

/** OpenSubsonic's `replayGain`: the ReplayGain 2.0 track gain (dB from −18 LUFS) and the true peak as a linear amplitude. */
export function replayGainOf(loudness: Loudness | null): { trackGain?: number; trackPeak?: number } {
  if (!loudness || loudness.lufs <= SILENCE_LUFS) return {};
  return {
    trackGain: round2(REPLAYGAIN_REFERENCE_LUFS - loudness.lufs),
    ...(loudness.truePeakDb !== null && { trackPeak: Math.round(10 ** (loudness.truePeakDb / 20) * 1e6) / 1e6 }),
  };
}

/** Where covers are served: `/media/covers/<name>`, drawn at `size` pixels. */
export const COVER_URL_PREFIX = '/media/covers/';
export const coverUrl = (name: string, size: number) => `${COVER_URL_PREFIX}${name}?size=${size}`;
/** The size the players show a song's cover at (the full player's artwork, twice over for sharp screens). */
export const PLAYER_COVER_SIZE = 256;
