// The dock's player: one <audio> for the whole site, and the list it plays. It lives as long as
// the browser tab does — pages come and go around it (Turbo keeps the dock) — so everything that
// must go on while the listener browses is here: the queue and its continuation, the radio's saved
// place, play reports, the crossfade, the sleep timer, loudness normalization, recovery from a lost
// connection, the next track's preload and the Media Session. What a page shows of it (client/ui/) subscribes, and
// unsubscribes when the page goes.
import { csrfToken } from '../csrf.js';
import { bindContinuation } from './continuation.js';
import { createCrossfade, type Crossfade } from './crossfade.js';
import { bindLevels, type Levels } from './fade.js';
import { createNormalizer, type Normalizer } from './loudness.js';
import { bindMediaSession, showInMediaSession } from './media-session.js';
import { bindPlayReports } from './plays.js';
import { bindPreload } from './preload.js';
import { createQueue, type Queue } from './queue.js';
import { dropFromSavedRadio, saveRadio } from './radio.js';
import { createSleepTimer, type SleepTimer } from './sleep-timer.js';
import { bindTransport, type Transport } from './transport.js';
import type { PlayList, Track } from './types.js';

export interface Say {
  /** Feedback the listener sees (and a screen reader hears): a toast. */
  toast(text: string): void;
  /** For screen readers only: what starts playing. */
  announce(text: string): void;
}

export interface Engine {
  readonly audio: HTMLAudioElement;
  readonly queue: Queue;
  readonly transport: Transport;
  readonly levels: Levels;
  readonly sleep: SleepTimer;
  readonly crossfade: Crossfade;
  /** Loudness normalization (Web Audio), and its setting. */
  readonly loudness: Normalizer;
  /** The list loaded has this key (a page shows the list that plays). */
  plays(key: string): boolean;
  /** Replaces what plays with this list; `play` starts it at `index`. */
  load(list: PlayList, options?: { index?: number; play?: boolean }): void;
  /** Takes a song out of the list (hidden from its mood); where it was and what it was, to put it back. */
  removeSong(songId: number): { index: number; track: Track } | undefined;
  /** Puts back a song removeSong took out (Undo). */
  restoreSong(removed: { index: number; track: Track }): void;
  /** The list, from the track playing (or the first) to the last fetched, and where its walk goes on. */
  upcoming(): { tracks: Track[]; cursor: string | null };
}

interface EngineElements {
  audio: HTMLAudioElement;
  /** Plays the old track's tail during a crossfade. */
  tail: HTMLAudioElement;
  /** Loads the next track ahead of time. */
  preloader: HTMLAudioElement;
}

export function createEngine({ audio, tail, preloader }: EngineElements, say: Say): Engine {
  const queue = createQueue();
  const levels = bindLevels([audio]);
  const loudness = createNormalizer();
  const list = () => queue.list();
  const continuation = bindContinuation(queue, () => Boolean(list()?.radio) && Boolean(csrfToken()));
  const plays = bindPlayReports(audio, () => list()?.source.genre);

  const transport = bindTransport(audio, {
    queue,
    more: continuation.more,
    started(track, index) {
      loudness.play(audio, track);
      say.announce(`Now playing ${track.title} by ${track.artist}`);
      showInMediaSession(track, list()?.source.label ?? 'Stereodose', track.artwork ?? list()?.source.artwork);
      plays.started(track);
      continuation.keepAhead(index);
      crossfade.started();
    },
    notify: say.toast,
    skipped: (track) => say.toast(`Could not play “${track.title}”; skipping.`),
  });
  const sleep = createSleepTimer({ audio, levels, transport, notify: say.toast });
  const crossfade = createCrossfade({
    audio,
    tail,
    levels,
    transport,
    current: queue.current,
    hasTrack: (index) => queue.track(index) !== undefined,
    allowed: () => !sleep.endsWithTrack(),
    tailTakes: () => loudness.follow(tail, audio),
  });
  bindPreload(audio, preloader, queue);
  bindMediaSession(audio, transport);

  /** Where a radio stands, saved whenever a track really starts (never past one nobody heard). */
  const rememberRadio = () => {
    const radio = list()?.radio;
    const cursor = queue.cursor();
    if (radio && cursor !== null && queue.current() >= 0) saveRadio(radio, cursor, queue.from(queue.current() + 1));
  };
  audio.addEventListener('playing', rememberRadio);

  return {
    audio,
    queue,
    transport,
    levels,
    sleep,
    crossfade,
    loudness,
    plays: (key) => list()?.source.key === key,
    load(next, { index = 0, play = false } = {}) {
      const { songs, ...rest } = next;
      audio.pause();
      queue.load(rest, songs);
      plays.loaded();
      if (play) void transport.playAt(index);
    },
    removeSong(songId) {
      const index = queue.track(queue.current())?.id === songId ? queue.current() : -1;
      const track = queue.from(0).find((t) => t.id === songId);
      const radio = list()?.radio;
      if (radio) dropFromSavedRadio(radio.key, songId);
      const at = queue.remove(songId);
      if (at < 0 || !track) return undefined;
      if (at === index) transport.lostCurrent(at);
      return { index: at, track };
    },
    restoreSong({ index, track }) {
      if (queue.from(0).some((t) => t.id === track.id)) return;
      queue.insert(index, track);
      rememberRadio();
    },
    upcoming: () => ({ tracks: queue.from(Math.max(0, queue.current())), cursor: queue.cursor() }),
  };
}
