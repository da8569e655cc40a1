// The one <audio> and its buttons: play a row, next, previous, play/pause and seek. A track that
// ends moves on to the next (unless the sleep timer stops there); one that fails is skipped with a
// word to the listener. Leaving a
// track before its end, and a track that fails, are also told to whoever listens on the audio
// element (client/plays.ts reports them), as the events below.
import type { Track } from './playlist.types.js';
import type { Queue } from './queue.js';

/** The listener moved to another track before this one ended: `detail` is a TrackLeft. */
export const TRACK_LEFT = 'stereodose:track-left';
/** The loaded track could not be played: `detail` is its Track. */
export const TRACK_FAILED = 'stereodose:track-failed';

export interface TrackLeft {
  track: Track;
  /** How far into the track the listener was. */
  seconds: number;
}

export interface Transport {
  /** The index of the track loaded, -1 before the first. */
  current(): number;
  playAt(index: number): Promise<void>;
  /** Resumes, or starts the list from the top. */
  play(): void;
  pause(): void;
  toggle(): void;
  next(): void;
  previous(): void;
  /** Moves on as if the loaded track had ended (a crossfade took over its last seconds). */
  advance(): void;
  /** On: at the end of the loaded track, stay there paused (the sleep timer); play then goes on with the next. */
  stopAtEnd(on: boolean): void;
  seekTo(seconds: number): void;
  seekBy(seconds: number): void;
  /** The queue lost the track at this index: the one playing moves on, the rest keep their place. */
  removed(index: number): void;
}

interface TransportOptions {
  queue: Pick<Queue, 'length' | 'track'>;
  /** The list ran out: asks for more; true if some came. */
  more(): Promise<boolean>;
  /** A new track has been loaded into the audio (the same one again counts too). */
  started(track: Track, index: number): void;
  say: { notify(text: string): void; skipped(track: Track): void };
}

export function bindTransport(audio: HTMLAudioElement, root: HTMLElement, { queue, more, started, say }: TransportOptions): Transport {
  const toggleButton = root.querySelector<HTMLButtonElement>('[data-action="toggle"]')!;
  let current = -1;
  /** The loaded track ended or failed: moving on from it is no skip. */
  let finished = false;
  let stopping = false;
  /** Stopped at the end of the loaded track: play moves on rather than start it again. */
  let held = false;
  const emit = (type: string, detail: TrackLeft | Track) => audio.dispatchEvent(new CustomEvent(type, { detail }));

  const playAt = async (index: number) => {
    if (index < 0) return;
    if (index >= queue.length && !(await more())) return;
    const track = queue.track(index);
    if (!track) return;
    const leaving = index === current || finished ? undefined : queue.track(current);
    if (leaving) emit(TRACK_LEFT, { track: leaving, seconds: audio.currentTime });
    current = index;
    finished = false;
    held = false;
    audio.src = track.url;
    started(track, index);
    try {
      await audio.play();
    } catch (err) {
      // Only a blocked autoplay needs the listener; a source that fails is handled by the error event.
      if (index === current && (err as DOMException).name === 'NotAllowedError') say.notify(`Press play to start “${track.title}”.`);
    }
  };
  const next = () => void playAt(current + 1);
  const previous = () => void playAt(Math.max(0, current - 1));
  const advance = () => {
    finished = true;
    next();
  };
  const play = () => {
    if (current < 0) return void playAt(0);
    if (held && audio.ended) return next();
    audio.play().catch(() => {}); // a failing source is handled by the error event
  };
  const pause = () => audio.pause();
  const toggle = () => (current < 0 || audio.paused ? play() : pause());
  const seekTo = (seconds: number) => {
    if (current < 0 || !Number.isFinite(audio.duration)) return;
    audio.currentTime = Math.min(Math.max(0, seconds), audio.duration);
  };
  const seekBy = (seconds: number) => seekTo(audio.currentTime + seconds);

  audio.addEventListener('ended', () => {
    finished = true;
    if (stopping) {
      stopping = false;
      held = true;
    } else next();
  });
  audio.addEventListener('error', () => {
    const failed = queue.track(current);
    finished = true;
    if (failed) {
      emit(TRACK_FAILED, failed);
      say.skipped(failed);
    }
    next();
  });
  audio.addEventListener('play', () => {
    root.classList.add('playing');
    toggleButton.setAttribute('aria-label', 'Pause');
  });
  audio.addEventListener('pause', () => {
    root.classList.remove('playing');
    toggleButton.setAttribute('aria-label', 'Play');
  });

  root.querySelector('[data-action="next"]')!.addEventListener('click', next);
  root.querySelector('[data-action="previous"]')!.addEventListener('click', previous);
  toggleButton.addEventListener('click', toggle);

  const removed = (index: number) => {
    if (index > current) return;
    current -= 1;
    if (index === current + 1) void playAt(index); // it was playing: the next song takes its place
  };

  const stopAtEnd = (on: boolean) => {
    stopping = on;
  };

  return { current: () => current, playAt, play, pause, toggle, next, previous, advance, stopAtEnd, seekTo, seekBy, removed };
}
