// The mini-player at the bottom of every page: the track's artwork (its own cover, or the list's), title and artist, play/pause,
// next and a thin progress line. It links to the page of the list playing ("Playing from: …"),
// where the full player is. It appears once something is loaded, and stays: it is part of the dock.
import type { Engine } from '../engine/engine.js';

export function bindMiniPlayer(root: HTMLElement, engine: Engine): void {
  const { audio, queue, transport } = engine;
  const link = root.querySelector<HTMLAnchorElement>('[data-mini-open]')!;
  const art = root.querySelector<HTMLImageElement>('[data-mini-art]')!;
  const title = root.querySelector<HTMLElement>('[data-mini-title]')!;
  const artist = root.querySelector<HTMLElement>('[data-mini-artist]')!;
  const source = root.querySelector<HTMLElement>('[data-mini-source]')!;
  const progress = root.querySelector<HTMLElement>('[data-mini-progress]')!;
  const toggle = root.querySelector<HTMLButtonElement>('[data-mini-action="toggle"]')!;

  const show = () => {
    const list = queue.list();
    if (!list) return;
    const track = queue.track(Math.max(0, queue.current()));
    root.hidden = false;
    document.documentElement.classList.add('dock-open');
    link.href = list.source.href;
    const artwork = track?.artwork ?? list.source.artwork;
    if (art.getAttribute('src') !== artwork) art.src = artwork;
    title.textContent = track?.title ?? 'Nothing to play yet';
    artist.textContent = track?.artist ?? '';
    source.textContent = `Playing from: ${list.source.label}`;
  };
  queue.subscribe(show);

  const playing = (on: boolean) => {
    root.classList.toggle('playing', on);
    toggle.setAttribute('aria-label', on ? 'Pause' : 'Play');
  };
  audio.addEventListener('play', () => playing(true));
  audio.addEventListener('pause', () => playing(false));
  audio.addEventListener('timeupdate', () => {
    const done = audio.duration > 0 ? audio.currentTime / audio.duration : 0;
    progress.style.transform = `scaleX(${Math.min(1, Math.max(0, done))})`;
  });
  toggle.addEventListener('click', () => transport.toggle());
  root.querySelector('[data-mini-action="next"]')!.addEventListener('click', () => transport.next());
}
