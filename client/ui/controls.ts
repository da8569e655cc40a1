// The full player's seek bar, volume slider and mute button: plain <input type="range"> and a
// toggle button the page keeps in step with the dock's one <audio>. The volume and mute are the
// listener's, remembered in localStorage across pages and visits.
import type { Levels } from '../engine/fade.js';

const VOLUME_KEY = 'stereodose.volume';
const MUTED_KEY = 'stereodose.muted';

/** 83 → "1:23"; 3723 → "1:02:03". */
export function formatTime(seconds: number): string {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const s = String(total % 60).padStart(2, '0');
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export interface SeekBar {
  /** A new track: back to 0, with its catalogue duration until the audio knows better. */
  reset(duration: number | null): void;
  /** Whether the bar follows the audio (the page's list is the one playing). */
  follow(on: boolean): void;
}

/** Listens on the dock's audio until `signal` aborts (the page goes). */
export function bindSeekBar(audio: HTMLAudioElement, root: HTMLElement, signal: AbortSignal): SeekBar {
  const input = root.querySelector<HTMLInputElement>('[data-seek]')!;
  const elapsedEl = root.querySelector<HTMLElement>('[data-elapsed]')!;
  const durationEl = root.querySelector<HTMLElement>('[data-duration]')!;
  let duration = 0;
  let shown = '';
  let following = false;

  const show = (seconds: number) => {
    const text = `${formatTime(seconds)} of ${formatTime(duration)}`;
    if (text === shown) return; // timeupdate fires ~4 times a second; the text changes once
    shown = text;
    input.value = String(Math.floor(seconds));
    input.setAttribute('aria-valuetext', text);
    elapsedEl.textContent = formatTime(seconds);
    durationEl.textContent = formatTime(duration);
  };
  const setDuration = (seconds: number | null) => {
    duration = seconds && Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
    input.max = String(Math.max(0, Math.floor(duration)));
    input.disabled = duration === 0 || !following;
    shown = '';
    show(following ? audio.currentTime || 0 : 0);
  };

  const options = { signal };
  // While a new source loads the duration is NaN: keep the catalogue's (and the focus on the bar).
  audio.addEventListener('durationchange', () => following && Number.isFinite(audio.duration) && setDuration(audio.duration), options);
  audio.addEventListener('timeupdate', () => following && show(audio.currentTime), options);
  audio.addEventListener('seeked', () => following && show(audio.currentTime), options);
  input.addEventListener('input', () => {
    const to = Number(input.value);
    if (following && Number.isFinite(audio.duration)) audio.currentTime = to;
    show(to);
  });

  return {
    reset(catalogueDuration) {
      setDuration(following && Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : catalogueDuration);
      if (!following) show(0);
    },
    follow(on) {
      following = on;
      input.disabled = duration === 0 || !on;
    },
  };
}

/** The slider sets the listener's level (fades only ever scale it); the button mutes and unmutes. */
export function bindVolume(levels: Levels, root: HTMLElement, signal: AbortSignal): void {
  const input = root.querySelector<HTMLInputElement>('[data-volume]')!;
  const mute = root.querySelector<HTMLButtonElement>('[data-action="mute"]');
  const show = () => {
    const volume = levels.volume();
    input.value = String(Math.round(volume * 100));
    input.setAttribute('aria-valuetext', levels.muted() ? `${Math.round(volume * 100)}%, muted` : `${Math.round(volume * 100)}%`);
    mute?.setAttribute('aria-pressed', String(levels.muted()));
  };
  show();
  input.addEventListener('input', () => {
    setVolume(levels, Number(input.value) / 100);
    if (levels.muted()) toggleMute(levels);
    show();
  });
  mute?.addEventListener('click', () => {
    toggleMute(levels);
    show();
  });
  document.addEventListener(LEVELS_CHANGED, show, { signal });
}

/** Dispatched on document when the volume or mute changes (the `m` key, another control). */
const LEVELS_CHANGED = 'stereodose:levels';

export function setVolume(levels: Levels, volume: number): void {
  levels.setVolume(Math.min(1, Math.max(0, volume)));
  store(VOLUME_KEY, String(levels.volume()));
  document.dispatchEvent(new Event(LEVELS_CHANGED));
}

export function toggleMute(levels: Levels): void {
  levels.setMuted(!levels.muted());
  store(MUTED_KEY, levels.muted() ? '1' : '0');
  document.dispatchEvent(new Event(LEVELS_CHANGED));
}

/** The volume and mute remembered from earlier visits. */
export function restoreLevels(levels: Levels): void {
  const volume = Number(read(VOLUME_KEY) ?? NaN);
  if (volume >= 0 && volume <= 1) levels.setVolume(volume);
  levels.setMuted(read(MUTED_KEY) === '1');
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage full or refused (private mode): the setting still applies to this visit
  }
}
