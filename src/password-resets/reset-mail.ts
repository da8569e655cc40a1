// The password-reset mail: plain text and the same in simple HTML.
import ejs from 'ejs';
import type { Mail } from '../mail/mailer.js';

/** "2026-12-01 14:05 UTC": how the mail and `npm run user:reset-link` say when a link expires. */
export const utcMinute = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function resetMail(to: string, { username, url, expiresAt }: { username: string; url: string; expiresAt: Date }): Mail {
  const text = [
    `Hello ${username},`,
    '',
    `Someone asked to reset the password of your Stereodose account “${username}”. To choose a new one, open this link:`,
    '',
    url,
    '',
    `It works once, until ${utcMinute(expiresAt)} (one hour after it was asked for).`,
    '',
    'If you did not ask, ignore this mail: your password stays as it is.',
    '',
    '— Stereodose',
  ].join('\n');
  const html = `<!doctype html>
<html><body>
<p>Hello ${ejs.escapeXML(username)},</p>
<p>Someone asked to reset the password of your Stereodose account “${ejs.escapeXML(username)}”. To choose a new one, open this link:</p>
<p><a href="${ejs.escapeXML(url)}">${ejs.escapeXML(url)}</a></p>
<p>It works once, until ${utcMinute(expiresAt)} (one hour after it was asked for).</p>
<p>If you did not ask, ignore this mail: your password stays as it is.</p>
<p>— Stereodose</p>
</body></html>
`;
  return { to, subject: 'Reset your Stereodose password', text, html };
}
