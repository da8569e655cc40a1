// The sleep timer: after 15, 30 or 60 minutes, or at the end of the track playing, the volume
// fades out over the last seconds and playback pauses; the listener's volume is back for the next
// play. Counted in wall-clock time, so a pause does not stretch it (and a test can fake the clock).
// The timer lives with the dock, so it keeps counting across pages; its button and menu are the
// full player's (client/ui/comforts.ts).
import { fadeOut, rampProgress, type Levels } from './fade.js';
import type { Transport } from './transport.js';

/** Minutes, or the end of the track playing. */
export type SleepChoice = 'off' | 15 | 30 | 60 | 'track';

/** The `t` key's cycle, which is also the order of the menu. */
export const SLEEP_CHOICES: readonly SleepChoice[] = ['off', 15, 30, 60, 'track'];

export const SLEEP_FADE_SECONDS = 10;

/** How often the countdown and the fade move on: finer than the 1-second display, for a smooth fade. */
const TICK_MS = 200;

export function nextSleepChoice(choice: SleepChoice): SleepChoice {
  return SLEEP_CHOICES[(SLEEP_CHOICES.indexOf(choice) + 1) % SLEEP_CHOICES.length]!;
}

/** The fade's gain with `secondsLeft` to go; a fade of `fadeSeconds` (a track shorter than the usual fade fades all through). */
export function sleepGain(secondsLeft: number, fadeSeconds = SLEEP_FADE_SECONDS): number {
  return fadeOut(rampProgress(fadeSeconds - secondsLeft, 0, fadeSeconds));
}

/** 872.2 → "14:33": whole minutes past 59 too (a 60-minute timer starts at "60:00"), rounded up so it never shows 0:00 early. */
export function formatLeft(seconds: number): string {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 0;
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

const spoken = (choice: SleepChoice) => (choice === 'track' ? 'at the end of this track' : `in ${choice} minutes`);

/** What a sleep timer's button shows. */
export interface SleepState {
  choice: SleepChoice;
  /** Seconds left (NaN when unknown: no track loaded, or one still loading). */
  left: number;
}

export interface SleepTimer {
  choice(): SleepChoice;
  set(choice: SleepChoice): void;
  /** The `t` key: the next choice. */
  cycle(): void;
  /** "End of this track" is armed: the track stops at its end, so nothing may start the next one early. */
  endsWithTrack(): boolean;
  /** Called with the state at every change, and every tick while armed. */
  subscribe(listener: (state: SleepState) => void, signal?: AbortSignal): void;
}

interface SleepTimerOptions {
  audio: HTMLAudioElement;
  levels: Levels;
  transport: Pick<Transport, 'pause' | 'stopAtEnd'>;
  notify(text: string): void;
}

export function createSleepTimer({ audio, levels, transport, notify }: SleepTimerOptions): SleepTimer {
  let choice: SleepChoice = 'off';
  let deadline = 0;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const listeners = new Set<(state: SleepState) => void>();

  const secondsLeft = () => (choice === 'off' ? NaN : choice === 'track' ? audio.duration - audio.currentTime : (deadline - Date.now()) / 1000);
  const publish = () => {
    const state = { choice, left: secondsLeft() };
    for (const listener of listeners) listener(state);
  };

  const apply = (next: SleepChoice) => {
    choice = next;
    deadline = typeof next === 'number' ? Date.now() + next * 60_000 : 0;
    transport.stopAtEnd(next === 'track');
    levels.setMaster(1);
    clearInterval(ticker);
    ticker = next === 'off' ? undefined : setInterval(tick, TICK_MS);
    publish();
  };

  const fire = () => {
    if (choice === 'off') return;
    if (choice !== 'track') transport.pause(); // "end of this track" stopped there by itself
    apply('off');
    notify('Sleep timer: playback paused.');
  };

  function tick() {
    const left = secondsLeft();
    publish();
    if (choice === 'track') {
      // A track still loading has no duration: full volume, not the fade of the track before it.
      levels.setMaster(Number.isFinite(left) ? sleepGain(left, Math.min(SLEEP_FADE_SECONDS, audio.duration)) : 1);
      return; // the transport pauses at the end; 'ended' says so
    }
    if (left <= 0) fire();
    else levels.setMaster(sleepGain(left));
  }

  const set = (next: SleepChoice) => {
    apply(next);
    notify(next === 'off' ? 'Sleep timer off.' : `Sleep timer: playback pauses ${spoken(next)}.`);
  };

  audio.addEventListener('ended', () => {
    if (choice === 'track') fire();
  });

  return {
    choice: () => choice,
    set,
    cycle: () => set(nextSleepChoice(choice)),
    endsWithTrack: () => choice === 'track',
    subscribe(listener, signal) {
      listeners.add(listener);
      signal?.addEventListener('abort', () => listeners.delete(listener), { once: true });
      listener({ choice, left: secondsLeft() });
    },
  };
}
