// The account's sessions (every device logged out) and the login counters kept under its username:
// deleted with the account, not exported. Its profile and its row are account-data.service.ts's own.
import type { AccountDataContribution } from '../account-data.js';
import { forgetLoginLimitsOf } from './login-limiter.js';
import { deleteSessionsOf } from './session-store.js';

export const sessionsAccountData: AccountDataContribution = { forget: (trx, account) => deleteSessionsOf(trx, account.id) };

export const loginLimitsAccountData: AccountDataContribution = { forget: (trx, account) => forgetLoginLimitsOf(trx, account.normalizedUsername) };
