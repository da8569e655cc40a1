// The seek bar and the volume slider: plain <input type="range"> elements the player keeps in step
// with its one <audio>. The volume is remembered in localStorage across pages and visits.
import type { Levels } from './fade.js';

const VOLUME_KEY = 'stereodose.volume';

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
}

export function bindSeekBar(audio: HTMLAudioElement, root: HTMLElement): SeekBar {
  const input = root.querySelector<HTMLInputElement>('[data-seek]')!;
  const elapsedEl = root.querySelector<HTMLElement>('[data-elapsed]')!;
  const durationEl = root.querySelector<HTMLElement>('[data-duration]')!;
  let duration = 0;
  let shown = '';

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
    input.disabled = duration === 0;
    shown = '';
    show(audio.currentTime || 0);
  };

  // While a new source loads the duration is NaN: keep the catalogue's (and the focus on the bar).
  audio.addEventListener('durationchange', () => Number.isFinite(audio.duration) && setDuration(audio.duration));
  audio.addEventListener('timeupdate', () => show(audio.currentTime));
  audio.addEventListener('seeked', () => show(audio.currentTime));
  input.addEventListener('input', () => {
    const to = Number(input.value);
    if (Number.isFinite(audio.duration)) audio.currentTime = to;
    show(to);
  });

  return {
    reset(catalogueDuration) {
      setDuration(catalogueDuration);
      show(0);
    },
  };
}

/** The slider sets the listener's level; fades (fade.ts) only ever scale it. */
export function bindVolume(levels: Levels, root: HTMLElement): void {
  const input = root.querySelector<HTMLInputElement>('[data-volume]')!;
  const apply = (volume: number) => {
    levels.setVolume(volume);
    input.value = String(Math.round(volume * 100));
    input.setAttribute('aria-valuetext', `${Math.round(volume * 100)}%`);
  };
  apply(storedVolume() ?? 1);
  input.addEventListener('input', () => {
    const volume = Math.min(1, Math.max(0, Number(input.value) / 100));
    apply(volume);
    try {
      localStorage.setItem(VOLUME_KEY, String(volume));
    } catch {
      // storage full or refused (private mode): the volume still applies to this page
    }
  });
}

function storedVolume(): number | null {
  try {
    const text = localStorage.getItem(VOLUME_KEY);
    const volume = text === null ? NaN : Number(text);
    return volume >= 0 && volume <= 1 ? volume : null;
  } catch {
    return null;
  }
}
