// Confirming an email address: the mailed link opens a page naming the account and the address
// (GET, which changes nothing, so a mail scanner that follows links confirms nothing), and its
// button confirms them (POST).
import { type RequestHandler, Router } from 'express';
import { flash } from '../http/flash.js';
import { renderForm } from '../http/forms.js';
import type { EmailVerificationsService } from './email-verifications.service.js';

const CONFIRM = { view: 'email-verifications/confirm', locals: { title: 'Confirm your email address' } };

export function createEmailVerificationsRouter({ verifications }: { verifications: EmailVerificationsService }): Router {
  const router = Router();

  // Checked first, so an unusable link gets its own page (400/410) with a way on.
  const usableLink: RequestHandler = async (req, res, next) => {
    res.locals.link = await verifications.check(String(req.params.token));
    res.locals.action = req.path;
    next();
  };

  router.get('/verify-email/:token', usableLink, (_req, res) => renderForm(res, CONFIRM));

  router.post('/verify-email/:token', usableLink, async (req, res) => {
    const { email } = await verifications.verify(String(req.params.token));
    flash(req, 'success', `Your email address ${email} is confirmed: a password reset can be mailed to it.`);
    res.redirect(303, '/account#email');
  });

  return router;
}
