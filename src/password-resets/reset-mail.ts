// The password-reset mail: plain text and the same in simple HTML. It greets no one by name (the
// first line of a mail is where a username such as "www.evil.example" would pass for a link); the
// accounts it names had their address confirmed by whoever reads it.
import ejs from 'ejs';
import { utcMinute } from '../lib/utc.js';
import type { Mail } from '../mail/mailer.js';

export function resetMail(to: string, { links, expiresAt }: { links: { username: string; url: string }[]; expiresAt: Date }): Mail {
  const one = links.length === 1;
  const asked = one
    ? `Someone asked to reset the password of your Stereodose account “${links[0]!.username}”. To choose a new one, open this link:`
    : 'Someone asked to reset the password of your Stereodose accounts at this address. To choose a new one, open the link of the account:';
  const until = `${one ? 'It works' : 'Each works'} once, until ${utcMinute(expiresAt)} (one hour after it was asked for).`;
  const ignore = 'If you did not ask, ignore this mail: your password stays as it is.';
  const text = [
    'Hello,',
    '',
    asked,
    ...links.flatMap(({ username, url }) => (one ? ['', url] : ['', `“${username}”:`, url])),
    '',
    until,
    '',
    ignore,
    '',
    '— Stereodose',
  ].join('\n');
  const anchor = (url: string) => `<a href="${ejs.escapeXML(url)}">${ejs.escapeXML(url)}</a>`;
  const html = `<!doctype html>
<html><body>
<p>Hello,</p>
<p>${ejs.escapeXML(asked)}</p>
${links.map(({ username, url }) => `<p>${one ? '' : `“${ejs.escapeXML(username)}”:<br>`}${anchor(url)}</p>`).join('\n')}
<p>${until}</p>
<p>${ignore}</p>
<p>— Stereodose</p>
</body></html>
`;
  return { to, subject: 'Reset your Stereodose password', text, html };
}
