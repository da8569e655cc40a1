// Register, log in, log out, change password. Every form re-renders with messages and the values
// typed (never passwords); every success redirects (Post/Redirect/Get).
import { Router, type Request, type Response } from 'express';
import { flash } from '../http/flash.js';
import { requireUser, safeLocalPath } from '../http/guards.js';
import { parse, renderForm } from '../http/validate.js';
import { changePasswordForm, loginForm, registerForm } from './accounts.schemas.js';
import type { LoginLimiter } from './login-limiter.js';
import { TooManyAttempts } from './login-limiter.js';
import type { createPassport } from './passport.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { SESSION_COOKIE } from './session.js';
import type { User, UsersRepository } from './users.repository.js';

interface Deps {
  users: UsersRepository;
  passport: ReturnType<typeof createPassport>;
  limiter: LoginLimiter;
}

const REGISTER = { view: 'accounts/register', locals: { title: 'Create an account' } };
const LOGIN = { view: 'accounts/login', locals: { title: 'Log in' } };
const ACCOUNT = { view: 'accounts/account', locals: { title: 'Your account' } };

/** passport ≥ 0.6 regenerates the session id here, so a planted session id is worthless. */
async function logIn(req: Request, user: User): Promise<void> {
  await new Promise<void>((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
  req.session.createdAt = Date.now();
}

function sendTooMany(res: Response, err: TooManyAttempts, form: typeof LOGIN, values: Record<string, unknown>) {
  res.set('Retry-After', String(Math.ceil(err.retryAfterSeconds)));
  renderForm(res, form, { status: 429, values, message: err.message });
}

export function createAccountsRouter({ users, passport, limiter }: Deps): Router {
  const router = Router();

  router.get('/register', (req, res) => renderForm(res, REGISTER, { values: { next: req.query.next } }));

  router.post('/register', async (req, res) => {
    try {
      await limiter.registration(req.ip ?? '');
    } catch (err) {
      if (err instanceof TooManyAttempts) return sendTooMany(res, err, REGISTER, req.body);
      throw err;
    }
    const form = parse(registerForm, req.body, REGISTER);
    const id = await users.insert({ username: form.username, email: form.email, passwordHash: await hashPassword(form.password) });
    if (id === undefined) {
      return renderForm(res, REGISTER, { status: 409, values: req.body, errors: { username: 'is already taken' } });
    }
    await logIn(req, (await users.findById(id))!);
    flash(req, 'success', `Welcome to Stereodose, ${form.username}!`);
    res.redirect(303, safeLocalPath(req.body.next) ?? '/');
  });

  router.get('/login', (req, res) => renderForm(res, LOGIN, { values: { next: safeLocalPath(req.query.next) } }));

  router.post('/login', async (req, res, next) => {
    const form = parse(loginForm, req.body, LOGIN);
    try {
      await limiter.attempt(form.username, req.ip ?? '');
    } catch (err) {
      if (err instanceof TooManyAttempts) return sendTooMany(res, err, LOGIN, req.body);
      throw err;
    }
    passport.authenticate('local', async (err: unknown, user: User | false) => {
      try {
        if (err) return next(err);
        if (!user) {
          return renderForm(res, LOGIN, { status: 401, values: req.body, message: 'Wrong username or password.' });
        }
        await limiter.succeeded(form.username, req.ip ?? '');
        await logIn(req, user);
        res.redirect(303, safeLocalPath(req.body.next) ?? '/');
      } catch (error) {
        next(error);
      }
    })(req, res, next);
  });

  router.post('/logout', async (req, res) => {
    await new Promise<void>((resolve, reject) => req.logout((err) => (err ? reject(err) : resolve())));
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.clearCookie(SESSION_COOKIE);
    res.redirect(303, '/');
  });

  router.get('/account', requireUser, (_req, res) => renderForm(res, ACCOUNT));

  router.post('/account/password', requireUser, async (req, res) => {
    const form = parse(changePasswordForm, req.body, ACCOUNT);
    const user = req.user!;
    if (!(await verifyPassword((await users.passwordHash(user.id)) ?? '', form.currentPassword))) {
      return renderForm(res, ACCOUNT, { status: 400, errors: { currentPassword: 'is not your current password' } });
    }
    const epoch = await users.changePassword(user.id, await hashPassword(form.newPassword));
    // A fresh session for this browser; every other session of this user now fails the epoch check.
    await logIn(req, { ...user, sessionEpoch: epoch });
    flash(req, 'success', 'Your password was changed. Other devices have been logged out.');
    res.redirect(303, '/account');
  });

  return router;
}
