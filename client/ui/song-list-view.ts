// A page that lists songs without a full player (favorites, history, most favorited): a click on
// a row — or "Play all" — hands the page's list to the dock, which plays it from there ("Playing
// from: Your favorites"). The row playing stays marked while the dock plays this list.
import type { PlayList } from '../engine/types.js';
import { rememberHearts } from '../page/hearts.js';
import type { PageContext } from './player-view.js';
import { enhanceRow, markCurrent, rowIndex } from './track-rows.js';

export function mountSongListView(list: HTMLElement, page: PlayList, { engine, signal }: Pick<PageContext, 'engine' | 'signal'>): void {
  const { queue, transport } = engine;
  rememberHearts(page.songs);
  list.querySelectorAll<HTMLElement>(':scope > li.track').forEach(enhanceRow);
  const attached = () => engine.plays(page.source.key);
  const mark = () => markCurrent(list, attached() ? queue.current() : -1);

  const play = (index: number) => {
    if (attached()) void transport.playAt(index);
    else engine.load(page, { index, play: true });
  };
  list.addEventListener('click', (e) => {
    const target = e.target as Element;
    const li = target.closest<HTMLLIElement>('li.track');
    if (!li || (target.closest('form, a, details, button') && !target.closest('[data-play-row]'))) return;
    play(rowIndex(li));
  });
  const playAll = list.parentElement?.querySelector<HTMLButtonElement>('[data-play-list]');
  if (playAll) {
    playAll.closest<HTMLElement>('[hidden]')?.removeAttribute('hidden');
    playAll.addEventListener('click', () => play(0));
  }
  queue.subscribe(mark, signal);
  mark();
}
