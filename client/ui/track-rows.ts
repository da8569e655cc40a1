// Track rows. The server renders each song's row (views/partials/track-row.ejs) and the same row
// once more as the page's <template>, with placeholders; rows for songs the player adds are made
// from that template, so every row has the same actions whoever drew it. The title becomes a
// button that plays the row.
import { applyHeartState } from '../page/hearts.js';
import type { Track } from '../engine/types.js';

const PLACEHOLDER = /\{(id|title|artist|url|count|key)\}/g;

/** Replaces each placeholder once; the values themselves are never read for placeholders. */
const fill = (text: string, values: Record<string, string>) => text.replace(PLACEHOLDER, (_, name: string) => values[name] ?? '');

let rowsMade = 0;

/** A row for this track, from the page's <template> (as text and attributes, never as markup). */
export function rowFromTemplate(template: HTMLTemplateElement, track: Track): HTMLLIElement {
  const li = template.content.firstElementChild!.cloneNode(true) as HTMLLIElement;
  const values = { id: String(track.id), title: track.title, artist: track.artist, url: track.url, count: String(track.favoriteCount), key: `q${++rowsMade}` };
  const walker = document.createTreeWalker(li, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node: Node | null = li; node; node = walker.nextNode()) {
    if (node instanceof Element) {
      for (const attribute of node.attributes) if (attribute.value.includes('{')) attribute.value = fill(attribute.value, values);
    } else if (node.nodeValue?.includes('{')) node.nodeValue = fill(node.nodeValue, values);
  }
  enhanceRow(li);
  applyHeartState(li, track);
  return li;
}

/** The row's title becomes a button that plays it (once). */
export function enhanceRow(li: HTMLElement): void {
  const title = li.querySelector('.track-title');
  if (!title || title instanceof HTMLButtonElement) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'track-title';
  button.dataset.playRow = '';
  button.textContent = title.textContent;
  title.replaceWith(button);
}

/** Marks the row at `index` as the one playing (and no other). */
export function markCurrent(list: HTMLElement, index: number): void {
  list.querySelectorAll<HTMLLIElement>(':scope > li.track').forEach((li, i) => {
    li.classList.toggle('current', i === index);
    if (i === index) li.setAttribute('aria-current', 'true');
    else li.removeAttribute('aria-current');
  });
}

/** The row's place in its list. */
export const rowIndex = (li: Element): number => [...(li.parentElement?.children ?? [])].indexOf(li);
