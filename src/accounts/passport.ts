// passport-local with our own users; the session remembers the user id and the session epoch, so
// a password change logs out every other session of that user.
import { Passport as PassportClass } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import type { User as AppUser, UsersRepository } from './users.repository.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends AppUser {}
  }
}

interface SessionUser {
  id: number;
  epoch: number;
}

export type Passport = InstanceType<typeof PassportClass>;

export function createPassport(users: UsersRepository): Passport {
  const passport = new PassportClass();
  passport.use(
    new LocalStrategy(async (username, password, done) => {
      try {
        const user = await users.findWithHash(username);
        // Unknown user and wrong password look the same, and take the same time.
        const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
        if (!user || !ok) return done(null, false);
        const { passwordHash: _hash, ...safe } = user;
        done(null, safe);
      } catch (err) {
        done(err);
      }
    }),
  );
  passport.serializeUser<SessionUser>((user, done) => done(null, { id: user.id, epoch: user.sessionEpoch }));
  passport.deserializeUser<SessionUser>(async (stored, done) => {
    try {
      const user = await users.findById(stored.id);
      done(null, user && user.sessionEpoch === stored.epoch ? user : false);
    } catch (err) {
      done(err);
    }
  });
  return passport;
}
