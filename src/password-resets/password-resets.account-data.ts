// The account's reset links and the reset-mail counters kept under its name and address: deleted
// with the account, not exported.
import type { AccountDataContribution } from '../account-data.js';
import { forgetPasswordResets } from './password-resets.repository.js';
import { forgetResetLimitsOf } from './reset-limiter.js';

export const passwordResetsAccountData: AccountDataContribution = { forget: (trx, account) => forgetPasswordResets(trx, account.id) };

export const resetLimitsAccountData: AccountDataContribution = { forget: (trx, account) => forgetResetLimitsOf(trx, account) };
