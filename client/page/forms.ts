// Forms the script sends itself (a heart, a hide, "add to playlist"): one listener on document for
// the whole visit, in the capture phase, so it decides before Turbo would post the form as a page
// visit. Without the page's CSRF token (a visitor) the form posts as it would without JavaScript.
import { csrfToken } from '../csrf.js';

/** `send` gets the form and the token when it takes the form; returning false leaves it to post normally. */
export function takeOverForms(selector: string, send: (form: HTMLFormElement, token: string) => boolean | undefined): void {
  document.addEventListener(
    'submit',
    (e) => {
      const form = (e.target as Element).closest<HTMLFormElement>(selector);
      const token = csrfToken();
      if (!form || !token || send(form, token) === false) return;
      e.preventDefault();
    },
    true,
  );
}
