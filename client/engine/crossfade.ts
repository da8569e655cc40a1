// Crossfade: a track's last seconds overlap the next one's first. Why a second element that plays
// the OLD track's tail, handed over when the fade starts: the transport keeps its one <audio>, which
// everything else listens to, and simply moves it on to the next track as if the old one had ended,
// so the seek bar, play reports, Media Session, queue mark, continuation and failure skipping see an
// ordinary change of track. The tail starts silently a little earlier and falls in step with the main
// element (within a few hundredths of a second), so the handover is hardly heard. Swapping elements at
// the fade's end would mean rebinding every listener, or moving the new track at full volume.
// The setting's controls are the full player's (client/ui/comforts.ts); the fade itself lives here,
// with the dock, so it goes on across pages.
import { fadeIn, fadeOut, rampProgress, type Levels } from './fade.js';
import { TRACK_FAILED, type Transport } from './transport.js';

/** The `c` key's cycle; the slider takes any whole second up to the last. */
export const CROSSFADE_CHOICES = [0, 2, 4, 6, 8] as const;
const MAX_SECONDS = 8;
const STORAGE_KEY = 'stereodose.crossfade';

/** The tail starts this long before the fade: time to load the track again and fall in step. */
const PREROLL_SECONDS = 2;
/** A started element is heard about this late; the tail starts this far ahead to meet the main one. */
const START_LAG_SECONDS = 0.05;
const TICK_MS = 50;

export function nextCrossfade(seconds: number): number {
  return CROSSFADE_CHOICES.find((c) => c > seconds) ?? 0;
}

/** The stored setting: whole seconds from 0 to 8; anything else is off. */
export function parseCrossfade(text: string | null): number {
  const seconds = text === null ? NaN : Number(text);
  return Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_SECONDS ? seconds : 0;
}

/** A short track keeps most of itself unmixed: its fade is at most a third of it. */
export function fadeLength(seconds: number, duration: number): number {
  return Math.max(0, Math.min(seconds, duration / 3));
}

/** The silent tail's speed to close a lead of `drift` seconds on the main element in about half a second. */
export function catchUpRate(drift: number): number {
  if (!Number.isFinite(drift) || Math.abs(drift) < 0.005) return 1;
  return Math.min(1.2, Math.max(0.8, 1 - drift / 0.5));
}

export interface Crossfade {
  /** The setting, in whole seconds (0: off). */
  seconds(): number;
  set(seconds: number): void;
  /** The `c` key: the next of 0, 2, 4, 6 and 8 seconds. */
  cycle(): number;
  /** The transport loaded a track: one the listener chose ends a fade at once. */
  started(): void;
  /** Called with the setting whenever it changes. */
  subscribe(listener: (seconds: number) => void, signal?: AbortSignal): void;
}

interface CrossfadeOptions {
  audio: HTMLAudioElement;
  /** The second element, which plays the old track's tail. */
  tail: HTMLAudioElement;
  levels: Levels;
  transport: Pick<Transport, 'advance'>;
  current(): number;
  /** Whether the list has a track at this index (no fade into a batch still being fetched). */
  hasTrack(index: number): boolean;
  /** False while the sleep timer waits for the end of this track, which must not move on early. */
  allowed(): boolean;
  /** The tail was given the playing track (its loudness gain goes with it). */
  tailTakes?(): void;
}

export function createCrossfade({ audio, tail, levels, transport, current, hasTrack, allowed, tailTakes }: CrossfadeOptions): Crossfade {
  tail.preload = 'auto';
  levels.setGain(tail, 0);

  let seconds = stored();
  const listeners = new Set<(seconds: number) => void>();
  let phase: 'idle' | 'preroll' | 'fading' = 'idle';
  /** Where in the old track the fade runs, on the tail's clock. */
  let fadeFrom = 0;
  let fadeTo = 0;
  /** The next started() is the fade's own change of track (or the skip of a track that failed during it). */
  let expectStart = false;
  let ticker: ReturnType<typeof setInterval> | undefined;

  const stop = () => {
    clearInterval(ticker);
    ticker = undefined;
    phase = 'idle';
    expectStart = false;
    tail.pause();
    tail.removeAttribute('src');
    tail.load();
    tail.playbackRate = 1;
    levels.setGain(tail, 0);
    levels.setGain(audio, 1);
  };

  const prepare = () => {
    if (phase !== 'idle' || seconds === 0 || audio.paused || audio.seeking || !allowed()) return;
    const duration = audio.duration;
    if (!Number.isFinite(duration) || duration <= 0) return;
    const from = duration - fadeLength(seconds, duration);
    // Too close to the fade (the listener seeked there) to fall in step: this track just ends.
    if (audio.currentTime < from - PREROLL_SECONDS || audio.currentTime > from - 0.5) return;
    if (!hasTrack(current() + 1)) return;
    phase = 'preroll';
    fadeFrom = from;
    fadeTo = duration;
    tail.src = audio.currentSrc;
    tailTakes?.();
    tail.currentTime = audio.currentTime + START_LAG_SECONDS;
    tail.play().catch(() => phase === 'preroll' && stop());
    ticker = setInterval(tick, TICK_MS);
  };

  const handOver = () => {
    phase = 'fading';
    tail.playbackRate = 1;
    levels.setGain(tail, 1);
    levels.setGain(audio, 0);
    expectStart = true;
    transport.advance();
  };

  function tick() {
    if (phase === 'preroll') {
      if (seconds === 0 || !allowed()) return stop();
      const inStep = !tail.paused && tail.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA;
      if (inStep) tail.playbackRate = catchUpRate(tail.currentTime - audio.currentTime);
      if (audio.currentTime < fadeFrom) return;
      return inStep ? handOver() : stop(); // the tail could not keep up: no crossfade this time
    }
    if (phase === 'fading') {
      const t = rampProgress(tail.currentTime, fadeFrom, fadeTo - fadeFrom);
      levels.setGain(tail, fadeOut(t));
      levels.setGain(audio, fadeIn(t));
      if (t >= 1 || tail.ended) stop();
    }
  }

  audio.addEventListener('timeupdate', prepare);
  // A pause (the listener's, the sleep timer's, a lost connection's) or a jump ends the overlap rather than leave half of it playing.
  audio.addEventListener('pause', () => phase !== 'idle' && stop());
  audio.addEventListener('seeking', () => phase === 'preroll' && stop());
  audio.addEventListener(TRACK_FAILED, () => {
    if (phase === 'fading') expectStart = true; // the transport skips it: the fade goes on into the one after
  });
  tail.addEventListener('timeupdate', tick); // a background tab slows intervals down, not media events
  tail.addEventListener('error', () => phase !== 'idle' && stop());

  const set = (next: number) => {
    seconds = parseCrossfade(String(next));
    try {
      localStorage.setItem(STORAGE_KEY, String(seconds));
    } catch {
      // storage full or refused (private mode): the setting still applies to this visit
    }
    for (const listener of listeners) listener(seconds);
  };

  return {
    seconds: () => seconds,
    set,
    cycle() {
      set(nextCrossfade(seconds));
      return seconds;
    },
    started() {
      if (expectStart) expectStart = false;
      else if (phase !== 'idle') stop();
    },
    subscribe(listener, signal) {
      listeners.add(listener);
      signal?.addEventListener('abort', () => listeners.delete(listener), { once: true });
    },
  };
}

function stored(): number {
  try {
    return parseCrossfade(localStorage.getItem(STORAGE_KEY));
  } catch {
    return 0;
  }
}
