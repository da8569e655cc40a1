// The player: progressive enhancement of the server-rendered track list. Without this script every
// track keeps its own <audio controls>; with it, one audio element plays the list in order,
// advances by itself, and fetches the next batch of the walk when the list runs out.

import { enhanceHearts, heartButton, pressHeart } from './favorites.js';

interface Track {
  id: number;
  title: string;
  artist: string;
  url: string;
  duration: number | null;
  favoriteCount?: number;
}

interface PlaylistData {
  /** Where the next batch comes from; null for a list that does not continue. */
  api: string | null;
  cursor: string;
  songs: Track[];
}

const root = document.querySelector<HTMLElement>('[data-player]');
const dataElement = document.getElementById('playlist-data');
if (root && dataElement) start(root, JSON.parse(dataElement.textContent ?? '{}') as PlaylistData);

function start(root: HTMLElement, data: PlaylistData): void {
  document.documentElement.classList.add('js');
  const audio = root.querySelector<HTMLAudioElement>('[data-audio]')!;
  const list = root.querySelector<HTMLOListElement>('[data-tracks]')!;
  const controls = root.querySelector<HTMLElement>('[data-controls]')!;
  const toggle = root.querySelector<HTMLButtonElement>('[data-action="toggle"]')!;
  const titleEl = root.querySelector<HTMLElement>('[data-now-title]')!;
  const artistEl = root.querySelector<HTMLElement>('[data-now-artist]')!;
  const announcer = root.querySelector<HTMLElement>('[data-announcer]')!;
  controls.hidden = false;

  const tracks: Track[] = [...data.songs];
  let cursor = data.cursor;
  let current = -1;
  let fetching: Promise<boolean> | null = null;
  /** Why the previous track was skipped; said together with the next "Now playing". */
  let skipNotice = '';

  enhanceHearts(list, (text) => notify(text));
  list.querySelectorAll<HTMLLIElement>('li.track').forEach((li, i) => enhanceRow(li, i));

  // Each row's title becomes a button that plays it; a click anywhere else on the row does too,
  // except on the row's own controls (heart, add-to-playlist).
  function enhanceRow(li: HTMLLIElement, index: number): void {
    li.querySelector('audio')?.remove();
    const title = li.querySelector('.track-title')!;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'track-title';
    button.textContent = title.textContent;
    title.replaceWith(button);
    li.addEventListener('click', (e) => {
      if (!(e.target as Element).closest('form, a, select, .track-actions button')) void play(index);
    });
  }

  function appendRow(track: Track, index: number): void {
    const li = document.createElement('li');
    li.className = 'track';
    li.dataset.index = String(index);
    const title = document.createElement('span');
    title.className = 'track-title';
    title.textContent = track.title;
    const artist = document.createElement('span');
    artist.className = 'track-artist';
    artist.textContent = track.artist;
    li.append(title, artist);
    const heart = heartButton(track.id, track.favoriteCount ?? 0, track.title, notify);
    if (heart) li.append(heart);
    list.append(li);
    enhanceRow(li, index);
  }

  async function loadMore(): Promise<boolean> {
    if (!data.api) return false;
    fetching ??= (async () => {
      try {
        const response = await fetch(`${data.api}?cursor=${encodeURIComponent(cursor)}`, {
          headers: { Accept: 'application/json' },
        });
        if (!response.ok) return false;
        const batch = (await response.json()) as { songs: Track[]; cursor: string };
        cursor = batch.cursor;
        let added = 0;
        for (const track of batch.songs) {
          // The server's walk never repeats a song until the whole list has played; then it starts anew.
          appendRow(track, tracks.length);
          tracks.push(track);
          added++;
        }
        return added > 0;
      } catch {
        return false;
      } finally {
        fetching = null;
      }
    })();
    return fetching;
  }

  async function play(index: number): Promise<void> {
    if (index < 0) return;
    if (index >= tracks.length && !(await loadMore())) return;
    const track = tracks[index];
    if (!track) return;
    current = index;
    audio.src = track.url;
    markCurrent();
    try {
      await audio.play();
    } catch (err) {
      // Only a blocked autoplay needs the listener; a source that fails is handled by the error event.
      if (index === current && (err as DOMException).name === 'NotAllowedError') notify(`Press play to start “${track.title}”.`);
    }
    // Keep a batch ahead so the next song never waits on the network.
    if (tracks.length - index <= 3) void loadMore();
  }

  function markCurrent(): void {
    list.querySelectorAll('li.track').forEach((li, i) => {
      li.classList.toggle('current', i === current);
      if (i === current) li.setAttribute('aria-current', 'true');
      else li.removeAttribute('aria-current');
    });
    const track = tracks[current];
    if (!track) return;
    titleEl.textContent = track.title;
    artistEl.textContent = track.artist;
    announcer.textContent = `${skipNotice}Now playing ${track.title} by ${track.artist}`;
    skipNotice = '';
    document.title = `${track.title} · ${track.artist} · Stereodose`;
    if ('mediaSession' in navigator) {
      navigator.mediaSession.metadata = new MediaMetadata({ title: track.title, artist: track.artist, album: 'Stereodose' });
    }
  }

  function notify(message: string): void {
    announcer.textContent = message;
  }

  const next = () => void play(current + 1);
  const previous = () => void play(Math.max(0, current - 1));
  const togglePlay = () => {
    if (current < 0) return void play(0);
    if (audio.paused) void audio.play();
    else audio.pause();
  };

  audio.addEventListener('ended', next);
  audio.addEventListener('error', () => {
    const failed = tracks[current];
    if (failed) {
      skipNotice = `Could not play “${failed.title}”; skipping. `;
      notify(skipNotice.trim()); // stays if there is nothing left to play
    }
    next();
  });
  audio.addEventListener('play', () => {
    root.classList.add('playing');
    toggle.setAttribute('aria-label', 'Pause');
  });
  audio.addEventListener('pause', () => {
    root.classList.remove('playing');
    toggle.setAttribute('aria-label', 'Play');
  });

  root.querySelector('[data-action="next"]')!.addEventListener('click', next);
  root.querySelector('[data-action="previous"]')!.addEventListener('click', previous);
  toggle.addEventListener('click', togglePlay);

  if ('mediaSession' in navigator) {
    navigator.mediaSession.setActionHandler('nexttrack', next);
    navigator.mediaSession.setActionHandler('previoustrack', previous);
  }

  document.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    if (e.ctrlKey || e.metaKey || e.altKey || target.closest('input, textarea, select, [contenteditable]')) return;
    if (e.key === ' ' && !target.closest('button, a, [role="button"]')) {
      e.preventDefault();
      togglePlay();
    } else if (e.key === 'n' || e.key === 'j') next();
    else if (e.key === 'p' || e.key === 'k') previous();
    else if (e.key === 'f') pressHeart(list.querySelectorAll('li.track')[current]);
  });
}
