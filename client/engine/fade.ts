// Volume ramps shared by the sleep timer and the crossfade. An element's volume is always the
// listener's own (the slider) times the fades' gains, so a fade never overrides the listener and a
// change of the slider during a fade applies at once.

const clamp01 = (t: number) => (Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0);

/**
 * Equal-power curves: at every point of a crossfade fadeOut(t)² + fadeIn(t)² = 1, so two unrelated
 * songs overlapping stay about as loud as one (a linear ramp dips by 3 dB in the middle).
 */
export const fadeOut = (t: number): number => Math.cos((clamp01(t) * Math.PI) / 2);
export const fadeIn = (t: number): number => Math.sin((clamp01(t) * Math.PI) / 2);

/** How far through a ramp of `length` seconds that began at `start` the time `now` is, 0–1. */
export function rampProgress(now: number, start: number, length: number): number {
  return length > 0 ? clamp01((now - start) / length) : 1;
}

export interface Levels {
  /** The listener's own volume, 0–1. */
  volume(): number;
  setVolume(volume: number): void;
  /** This element's own fade (the crossfade's), 0–1; elements start at 1. */
  setGain(audio: HTMLAudioElement, gain: number): void;
  /** A fade over every element (the sleep timer's), 0–1. */
  setMaster(gain: number): void;
  muted(): boolean;
  /** Silences every element without touching the volume, which comes back as it was. */
  setMuted(muted: boolean): void;
}

export function bindLevels(elements: HTMLAudioElement[]): Levels {
  const gains = new Map(elements.map((audio) => [audio, 1]));
  let volume = 1;
  let master = 1;
  let muted = false;
  const apply = () => {
    for (const [audio, gain] of gains) {
      audio.volume = clamp01(volume * master * gain);
      audio.muted = muted;
    }
  };
  return {
    volume: () => volume,
    setVolume(next) {
      volume = clamp01(next);
      apply();
    },
    setGain(audio, gain) {
      gains.set(audio, clamp01(gain));
      apply();
    },
    setMaster(gain) {
      master = clamp01(gain);
      apply();
    },
    muted: () => muted,
    setMuted(next) {
      muted = next;
      apply();
    },
  };
}
