// The next track is fetched before it is needed: a second, silent element loads it while the
// current one plays, and the browser's media cache (shared by the elements of a page, for the same
// URL) hands those bytes to the main element when the track changes, so Next starts at once even
// on a slow connection. It waits a few seconds into a track first: the playing track's own bytes
// come before the next one's.
import type { Queue } from './queue.js';

/** How long a track plays before the next one is fetched. */
const AFTER_SECONDS = 3;

export function bindPreload(audio: HTMLAudioElement, preloader: HTMLAudioElement, queue: Queue): void {
  preloader.preload = 'auto';
  preloader.muted = true;
  let loaded = '';

  const preloadNext = () => {
    const next = queue.track(queue.current() + 1);
    if (!next || next.url === loaded || audio.currentTime < AFTER_SECONDS) return;
    loaded = next.url;
    preloader.src = next.url;
    preloader.load();
  };
  audio.addEventListener('timeupdate', preloadNext);
  // A list that grew or changed may have a new next track.
  queue.subscribe(() => audio.currentTime >= AFTER_SECONDS && preloadNext());
}
