// The account's address-confirmation links: deleted with the account, not exported.
import type { AccountDataContribution } from '../account-data.js';
import { forgetEmailVerifications } from './email-verifications.repository.js';

export const emailVerificationsAccountData: AccountDataContribution = { forget: (trx, account) => forgetEmailVerifications(trx, account.id) };
