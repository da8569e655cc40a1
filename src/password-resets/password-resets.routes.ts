// Forgotten passwords: ask for a link (/forgot), follow it (/reset/:token), choose a new password.
import { type RequestHandler, Router } from 'express';
import { regenerateSession } from '../accounts/session.js';
import { afterResponse } from '../http/after-response.js';
import { flash } from '../http/flash.js';
import { renderForm, showsForm } from '../http/forms.js';
import { parse } from '../http/validate.js';
import { forgotForm, resetForm } from './password-resets.schemas.js';
import type { PasswordResetsService } from './password-resets.service.js';
import type { ResetLimiter } from './reset-limiter.js';

interface Deps {
  resets: PasswordResetsService;
  limiter: ResetLimiter;
}

const forgotPage = (canMail: boolean) => ({ view: 'password-resets/forgot', locals: { title: 'Forgot your password?', canMail } });
const RESET = { view: 'password-resets/reset', locals: { title: 'Choose a new password' } };
const SENT = 'If an account matches and its email address is confirmed, we sent a link to it. It works once, for one hour; check your spam folder too.';

export function createPasswordResetsRouter({ resets, limiter }: Deps): Router {
  const router = Router();

  const FORGOT = forgotPage(resets.canMail);
  router.get('/forgot', (_req, res) => renderForm(res, FORGOT));

  router.post('/forgot', showsForm(FORGOT), async (req, res) => {
    const { identifier } = parse(forgotForm, req.body);
    await limiter.attempt(identifier, req.ip ?? '');
    // The answer leaves before the account is even looked up, so neither its words nor its timing
    // say whether one matched: the lookup, the token and the mail all happen once it has gone.
    afterResponse(req, res, { field: 'passwordReset', message: 'password reset requested' }, () => resets.request(identifier));
    flash(req, 'success', SENT);
    res.redirect(303, '/forgot');
  });

  // Checked before the form is named, so an unusable link gets its own page (400/410), never the form.
  const usableLink: RequestHandler = async (req, res, next) => {
    res.locals.account = await resets.check(String(req.params.token));
    res.locals.action = req.path;
    next();
  };

  router.get('/reset/:token', usableLink, (_req, res) => renderForm(res, RESET));

  router.post('/reset/:token', usableLink, showsForm(RESET), async (req, res) => {
    const { password } = parse(resetForm, req.body);
    await resets.reset(String(req.params.token), password);
    // This browser starts afresh too: nothing of whoever was logged in here stays.
    await regenerateSession(req);
    flash(
      req,
      'success',
      'Your password was changed: every device logged in to your account was logged out, and its app passwords revoked. Log in with the new password.',
    );
    res.redirect(303, '/login');
  });

  return router;
}
