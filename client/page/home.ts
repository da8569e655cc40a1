// The home page for a returning visitor: the radio this browser played last ("Continue your Weed ·
// Chill radio"), in place of the page's opening line, which keeps its room (nothing below moves). A
// listener's radios come from the server, which renders them itself.
import { savedRadios } from '../engine/radio.js';

export function mountContinue(line: HTMLElement): void {
  const last = savedRadios()[0];
  if (!last || document.querySelector('meta[name="csrf-token"]')) return;
  const link = document.createElement('a');
  link.href = `/playlist/${last.key}`;
  link.textContent = `Continue your ${last.name} radio`;
  line.replaceChildren(link);
}
