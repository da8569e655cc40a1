// The one <audio> and what moves it: play a track of the queue, next, previous, play/pause and
// seek. A track that ends moves on to the next (unless the sleep timer stops there). A track that
// fails is not skipped blindly: recovery.ts tells a broken track (skipped, with a word to the
// listener) from a lost connection (retried with backoff, then paused until the connection is
// back). Leaving a track before its end, and a track skipped as broken, are told to whoever listens
// on the audio element (plays.ts reports them), as the events below.
import type { Queue } from './queue.js';
import { bindRecovery } from './recovery.js';
import type { Track } from './types.js';

/** The listener moved to another track before this one ended: `detail` is a TrackLeft. */
export const TRACK_LEFT = 'stereodose:track-left';
/** The loaded track could not be played and is skipped: `detail` is its Track. */
export const TRACK_FAILED = 'stereodose:track-failed';

/** "Previous" this far into a track starts it again, as every major player does. */
export const RESTART_AFTER_SECONDS = 3;

export interface TrackLeft {
  track: Track;
  /** How far into the track the listener was. */
  seconds: number;
}

export interface Transport {
  playAt(index: number): Promise<void>;
  /** Resumes, or starts the list from the top. */
  play(): void;
  pause(): void;
  toggle(): void;
  next(): void;
  /** Back to the start of the track after a few seconds of it; before that, the track before. */
  previous(): void;
  /** Moves on as if the loaded track had ended (a crossfade took over its last seconds). */
  advance(): void;
  /** On: at the end of the loaded track, stay there paused (the sleep timer); play then goes on with the next. */
  stopAtEnd(on: boolean): void;
  seekTo(seconds: number): void;
  seekBy(seconds: number): void;
  /** The queue lost the loaded track (hidden): the one now at its place takes over. */
  lostCurrent(index: number): void;
}

interface TransportOptions {
  queue: Queue;
  /** The list ran out: asks for more; true if some came. */
  more(): Promise<boolean>;
  /** A new track has been loaded into the audio (the same one again counts too). */
  started(track: Track, index: number): void;
  notify(text: string): void;
  /** Said of a track skipped because it cannot be played. */
  skipped(track: Track): void;
}

export function bindTransport(audio: HTMLAudioElement, { queue, more, started, notify, skipped }: TransportOptions): Transport {
  /** The loaded track ended or failed: moving on from it is no skip. */
  let finished = false;
  let stopping = false;
  /** Stopped at the end of the loaded track: play moves on rather than start it again. */
  let held = false;
  const emit = (type: string, detail: TrackLeft | Track) => audio.dispatchEvent(new CustomEvent(type, { detail }));

  const start = async () => {
    try {
      await audio.play();
    } catch (err) {
      // Only a blocked autoplay needs the listener; a source that fails is handled by the error event.
      const track = queue.track(queue.current());
      if (track && (err as DOMException).name === 'NotAllowedError') notify(`Press play to start “${track.title}”.`);
    }
  };

  const playAt = async (index: number) => {
    if (index < 0) return;
    if (index >= queue.length && !(await more())) return;
    const track = queue.track(index);
    if (!track) return;
    const current = queue.current();
    const leaving = index === current || finished ? undefined : queue.track(current);
    if (leaving && !audio.paused) emit(TRACK_LEFT, { track: leaving, seconds: audio.currentTime });
    recovery.reset();
    finished = false;
    held = false;
    audio.src = track.url;
    queue.setCurrent(index);
    started(track, index);
    await start();
  };

  const next = () => void playAt(queue.current() + 1);
  const previous = () => {
    if (queue.current() >= 0 && audio.currentTime > RESTART_AFTER_SECONDS) return void seekTo(0);
    void playAt(Math.max(0, queue.current() - 1));
  };
  const advance = () => {
    finished = true;
    next();
  };
  const play = () => {
    if (queue.current() < 0) return void playAt(0);
    if (held && audio.ended) return next();
    if (recovery.waiting()) return recovery.retryNow();
    void start();
  };
  const pause = () => {
    recovery.reset();
    audio.pause();
  };
  const toggle = () => (queue.current() < 0 || audio.paused ? play() : pause());
  const seekTo = (seconds: number) => {
    if (queue.current() < 0 || !Number.isFinite(audio.duration)) return;
    audio.currentTime = Math.min(Math.max(0, seconds), audio.duration);
  };
  const seekBy = (seconds: number) => seekTo(audio.currentTime + seconds);

  const recovery = bindRecovery(audio, {
    current: () => queue.track(queue.current()),
    notify,
    skip(track) {
      finished = true;
      emit(TRACK_FAILED, track);
      skipped(track);
      next();
    },
  });

  audio.addEventListener('ended', () => {
    finished = true;
    if (stopping) {
      stopping = false;
      held = true;
    } else next();
  });

  return {
    playAt,
    play,
    pause,
    toggle,
    next,
    previous,
    advance,
    stopAtEnd(on) {
      stopping = on;
    },
    seekTo,
    seekBy,
    lostCurrent(index) {
      finished = true; // not a skip: the listener took it out
      if (index < queue.length) void playAt(index);
      else {
        audio.pause();
        void more().then((added) => {
          if (added) void playAt(index);
        });
      }
    },
  };
}
