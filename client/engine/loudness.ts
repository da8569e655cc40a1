// Loudness normalization: every song Stereodose holds was measured (EBU R128) and carries the gain
// that brings it to one target (`gainDb`, peak-protected by the server), applied here through Web
// Audio: the element → a GainNode → the speakers. An element's volume (the listener's, the sleep
// timer's fade, the crossfade's) still scales what enters the node, so every fade works as before.
//
// Web Audio has a catch: an element routed through it plays media of another origin served without
// CORS as silence (the browser will not let a page read those samples). Admins may add songs hosted
// elsewhere, and those carry no gain anyway. So an element is routed only once a song of ours with a
// gain is to play on it (normalization off from the start: nothing is ever routed), and a routed
// element that then plays a song from elsewhere is doubled by a twin <audio>, never routed, which
// plays that song audibly in step with it while the routed one goes on silently (its time, its
// events and its end still drive the player). The setting is the listener's, remembered.
import { catchUpRate } from './crossfade.js';
import type { Track } from './types.js';

const STORAGE_KEY = 'stereodose.normalize';
/** A twin further than this from its element jumps there rather than speeding up. */
const MAX_DRIFT_SECONDS = 0.25;

export interface Normalizer {
  /** On: songs play at one loudness. */
  enabled(): boolean;
  set(on: boolean): void;
  /** The `l` key. */
  toggle(): boolean;
  /** Called with the setting whenever it changes. */
  subscribe(listener: (on: boolean) => void, signal?: AbortSignal): void;
  /** `element` was given `track` to play: its gain (routing it the first time a song of ours needs one). */
  play(element: HTMLAudioElement, track: Track | undefined): void;
  /** `to` plays what `from` plays (the crossfade's tail takes the old track): the same gain. */
  follow(to: HTMLAudioElement, from: HTMLAudioElement): void;
}

interface Routed {
  gain: GainNode;
  /** Plays songs from elsewhere in the routed element's stead. */
  twin: HTMLAudioElement;
  /** The twin is playing the element's song. */
  bypassing: boolean;
}

/** dB → the factor a GainNode takes. */
export const gainFactor = (db: number) => 10 ** (db / 20);

const fromElsewhere = (url: string) => {
  try {
    return new URL(url, location.href).origin !== location.origin;
  } catch {
    return true;
  }
};

export function createNormalizer(): Normalizer {
  let on = stored();
  let context: AudioContext | undefined;
  const listeners = new Set<(on: boolean) => void>();
  const routed = new Map<HTMLAudioElement, Routed>();
  /** The track each element was last given. */
  const tracks = new Map<HTMLAudioElement, Track | undefined>();

  /** A running audio context, or none when the browser will not start one yet (no gesture so far). */
  function running(): AudioContext | undefined {
    if (typeof AudioContext === 'undefined') return undefined;
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume().catch(() => {});
    return context.state === 'running' ? context : undefined;
  }

  function route(element: HTMLAudioElement): Routed | undefined {
    const existing = routed.get(element);
    if (existing) return existing;
    const ctx = running();
    if (!ctx) return undefined;
    const gain = ctx.createGain();
    ctx.createMediaElementSource(element).connect(gain).connect(ctx.destination);
    const twin = document.createElement('audio');
    twin.hidden = true;
    twin.preload = 'auto';
    twin.setAttribute('data-loudness-twin', '');
    element.after(twin);
    const entry: Routed = { gain, twin, bypassing: false };
    routed.set(element, entry);
    bindTwin(element, entry);
    // A context the system suspended (a phone call, a locked screen) would keep a routed element silent.
    element.addEventListener('play', () => ctx.state !== 'running' && void ctx.resume().catch(() => {}));
    return entry;
  }

  /** The twin follows its element: play, pause, seek, speed, volume, end. */
  function bindTwin(element: HTMLAudioElement, entry: Routed): void {
    const { twin } = entry;
    const inStep = () => {
      if (Math.abs(twin.currentTime - element.currentTime) > MAX_DRIFT_SECONDS) twin.currentTime = element.currentTime;
    };
    const when = (type: string, action: () => void) => element.addEventListener(type, () => entry.bypassing && action());
    when('playing', () => {
      inStep();
      void twin.play().catch(() => {});
    });
    when('pause', () => twin.pause());
    when('seeked', () => (twin.currentTime = element.currentTime));
    when('timeupdate', () => {
      inStep();
      twin.playbackRate = element.playbackRate * catchUpRate(twin.currentTime - element.currentTime);
    });
    when('ended', () => twin.pause());
    // Emptied by a new song too (its twin is already set by then): only an element left without one stops it.
    element.addEventListener('emptied', () => !element.getAttribute('src') && stopTwin(entry));
    element.addEventListener('volumechange', () => {
      twin.volume = element.volume;
      twin.muted = element.muted;
    });
  }

  function stopTwin(entry: Routed): void {
    if (!entry.bypassing) return;
    entry.bypassing = false;
    entry.twin.pause();
    entry.twin.removeAttribute('src');
    entry.twin.load();
  }

  /** Sets the element's gain for its track; a song from elsewhere on a routed element goes to its twin. */
  function apply(element: HTMLAudioElement): void {
    const entry = routed.get(element);
    if (!entry) return;
    const track = tracks.get(element);
    const elsewhere = track !== undefined && fromElsewhere(track.url);
    const value = elsewhere ? 0 : on && track?.gainDb != null ? gainFactor(track.gainDb) : 1;
    entry.gain.gain.setValueAtTime(value, entry.gain.context.currentTime);
    if (!elsewhere) {
      stopTwin(entry);
      return;
    }
    if (entry.bypassing && entry.twin.src === new URL(track.url, location.href).href) return;
    entry.bypassing = true;
    entry.twin.volume = element.volume;
    entry.twin.muted = element.muted;
    entry.twin.src = track.url;
    entry.twin.currentTime = element.currentTime;
    if (!element.paused) void entry.twin.play().catch(() => {});
  }

  const publish = () => {
    for (const listener of listeners) listener(on);
  };

  const set = (next: boolean) => {
    on = next;
    try {
      localStorage.setItem(STORAGE_KEY, on ? '1' : '0');
    } catch {
      // storage full or refused (private mode): the setting still applies to this visit
    }
    for (const element of routed.keys()) apply(element);
    publish();
  };

  return {
    enabled: () => on,
    set,
    toggle() {
      set(!on);
      return on;
    },
    subscribe(listener, signal) {
      listeners.add(listener);
      signal?.addEventListener('abort', () => listeners.delete(listener), { once: true });
    },
    play(element, track) {
      tracks.set(element, track);
      // Only a song of ours with a gain is worth routing an element for.
      if (on && track?.gainDb != null && !fromElsewhere(track.url)) route(element);
      apply(element);
    },
    follow(to, from) {
      const track = tracks.get(from);
      tracks.set(to, track);
      if (routed.has(from) && on && track?.gainDb != null && !fromElsewhere(track.url)) route(to);
      apply(to);
    },
  };
}

function stored(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) !== '0';
  } catch {
    return true;
  }
}
