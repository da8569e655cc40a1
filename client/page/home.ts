// The home page for a returning visitor: the radios this browser keeps, newest first ("Continue
// your Weed · Chill radio"). A listener's come from the server, which renders them itself.
import { savedRadios } from '../engine/radio.js';

export function mountContinue(root: HTMLElement): void {
  const radios = savedRadios().slice(0, 3);
  if (radios.length === 0) return;
  const [first, ...others] = radios;
  const link = root.querySelector<HTMLAnchorElement>('[data-continue-first]')!;
  link.href = `/playlist/${first!.key}`;
  link.textContent = `Continue your ${first!.name} radio`;
  const more = root.querySelector<HTMLElement>('[data-continue-more]')!;
  for (const radio of others) {
    const a = document.createElement('a');
    a.className = 'chip';
    a.href = `/playlist/${radio.key}`;
    a.textContent = radio.name;
    more.append(a);
  }
  more.hidden = others.length === 0;
  root.hidden = false;
}
