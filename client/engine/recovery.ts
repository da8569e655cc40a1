// Playback that survives the network. When the loaded track fails, the site itself is asked
// (GET /healthz): if it answers, the track is at fault — one more try for a blip, then it is
// skipped; if it does not, the connection is: the same track is tried again after 1, 2 and 4
// seconds, and after the third failure in a row the player pauses, says so, and resumes where it
// was once the site answers again. A browser that goes offline pauses at once, and resumes when it
// is back online. No track is skipped for a connection's sake, so a radio never moves past songs
// nobody heard.
import type { Track } from './types.js';

/** Waits before each new try of a track that failed for want of a connection. */
export const BACKOFF_MS = [1000, 2000, 4000] as const;
/** While paused for the connection, how often the site is asked whether it is back. */
const PROBE_EVERY_MS = 3000;
const PROBE_TIMEOUT_MS = 2500;

/** The number of failures in a row after which the player stops trying and waits. */
export const MAX_FAILURES = BACKOFF_MS.length;

/** What to do after failure number `failures` (1-based) of one track, given whether the site answers. */
export function afterFailure(failures: number, siteAnswers: boolean): { action: 'retry'; delayMs: number } | { action: 'skip' } | { action: 'wait' } {
  if (siteAnswers) return failures <= 1 ? { action: 'retry', delayMs: BACKOFF_MS[0] } : { action: 'skip' };
  if (failures >= MAX_FAILURES) return { action: 'wait' };
  return { action: 'retry', delayMs: BACKOFF_MS[failures - 1]! };
}

export interface Recovery {
  /** A track was loaded or paused on purpose: forget the failures and stop waiting. */
  reset(): void;
  /** Paused until the connection is back. */
  waiting(): boolean;
  /** Play was pressed while waiting: try again now. */
  retryNow(): void;
}

interface RecoveryOptions {
  current(): Track | undefined;
  notify(text: string): void;
  /** The track cannot be played (the site answers, the track does not): move on without it. */
  skip(track: Track): void;
}

async function siteAnswers(): Promise<boolean> {
  try {
    const response = await fetch('/healthz', { cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return response.ok;
  } catch {
    return false;
  }
}

export function bindRecovery(audio: HTMLAudioElement, { current, notify, skip }: RecoveryOptions): Recovery {
  let failures = 0;
  /** Where the failed track was, to go on from there. */
  let position = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waitingFor: 'none' | 'site' | 'online' = 'none';

  const clear = () => {
    clearTimeout(timer);
    timer = undefined;
  };

  /** Loads the same track again and goes on from where it stopped. */
  const reload = () => {
    clear();
    const track = current();
    if (!track) return;
    const at = position;
    audio.src = track.url;
    if (at > 0) audio.addEventListener('loadedmetadata', () => (audio.currentTime = Math.min(at, audio.duration || at)), { once: true });
    audio.play().catch(() => {}); // a failure comes back as an error event
  };

  const resume = (said: string) => {
    waitingFor = 'none';
    failures = 0;
    clear();
    notify(said);
    // A track that broke while away is loaded again; one that was only paused just goes on.
    if (audio.error || !audio.currentSrc) reload();
    else audio.play().catch(() => reload());
  };

  const waitForSite = () => {
    waitingFor = 'site';
    audio.pause();
    notify('The connection was lost: playback is paused, and goes on by itself when the connection is back.');
    const probe = async () => {
      if (waitingFor !== 'site') return;
      if (await siteAnswers()) {
        if (waitingFor === 'site') resume('The connection is back: playing again.');
      } else timer = setTimeout(probe, PROBE_EVERY_MS);
    };
    timer = setTimeout(probe, PROBE_EVERY_MS);
  };

  const goOffline = () => {
    if (waitingFor === 'online') return;
    // Nothing playing and nothing failing: nothing to pause, nothing to resume.
    if (audio.paused && waitingFor === 'none' && timer === undefined) return;
    clear();
    waitingFor = 'online';
    position = audio.currentTime;
    audio.pause();
    notify('You are offline: playback is paused, and goes on by itself when you are back online.');
  };

  audio.addEventListener('error', async () => {
    const track = current();
    if (!track || !audio.getAttribute('src')) return; // a src taken away on purpose
    position = Math.max(position, audio.currentTime || 0);
    if (!navigator.onLine) return goOffline();
    failures += 1;
    const answers = await siteAnswers();
    if (current() !== track || waitingFor !== 'none') return; // the listener moved on meanwhile
    if (!navigator.onLine) return goOffline();
    const next = afterFailure(failures, answers);
    if (next.action === 'skip') {
      failures = 0;
      position = 0;
      skip(track);
    } else if (next.action === 'wait') waitForSite();
    else timer = setTimeout(reload, next.delayMs);
  });
  // Playing again: whatever failed before is over.
  audio.addEventListener('playing', () => {
    failures = 0;
    position = 0;
  });
  window.addEventListener('offline', goOffline);
  window.addEventListener('online', () => {
    if (waitingFor === 'online') resume('Back online: playing again.');
  });

  return {
    reset() {
      failures = 0;
      position = 0;
      waitingFor = 'none';
      clear();
    },
    waiting: () => waitingFor !== 'none',
    retryNow() {
      if (waitingFor === 'online' && !navigator.onLine) return notify('You are still offline.');
      resume('Trying again…');
    },
  };
}
