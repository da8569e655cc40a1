// The mail that asks an address to confirm itself. It names no account: whoever registers may
// type anyone's address and any username, so nothing they chose goes into a stranger's inbox (the
// page the link opens names the account, before anything is confirmed).
import ejs from 'ejs';
import { utcMinute } from '../lib/utc.js';
import type { Mail } from '../mail/mailer.js';

export function verificationMail(to: string, { url, expiresAt }: { url: string; expiresAt: Date }): Mail {
  const until = `It works once, until ${utcMinute(expiresAt)} (a day after it was sent), and the page it opens names the account before you confirm.`;
  const unused = 'Until the address is confirmed, Stereodose mails it nothing else: no password resets. If you did not ask, ignore this mail.';
  const text = [
    'Hello,',
    '',
    'Someone asked to use this address for a Stereodose account. To confirm that it is yours, open this link:',
    '',
    url,
    '',
    until,
    '',
    unused,
    '',
    '— Stereodose',
  ].join('\n');
  const html = `<!doctype html>
<html><body>
<p>Hello,</p>
<p>Someone asked to use this address for a Stereodose account. To confirm that it is yours, open this link:</p>
<p><a href="${ejs.escapeXML(url)}">${ejs.escapeXML(url)}</a></p>
<p>${until}</p>
<p>${unused}</p>
<p>— Stereodose</p>
</body></html>
`;
  return { to, subject: 'Confirm your email address for Stereodose', text, html };
}
