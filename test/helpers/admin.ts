import type { Express } from 'express';
import type { Db } from '../../src/db/knex.js';
import { registerAs, type Agent } from './session.js';

/** Registers a user through the form, then grants the admin role as `npm run user:admin` does. */
export async function adminAgent(app: Express | string, db: Db): Promise<{ agent: Agent; username: string }> {
  const { agent, username } = await registerAs(app);
  await db('users').where('username', username).update({ is_admin: true });
  return { agent, username };
}
