// Where the listener's radios stand: deleted with the account, not exported.
import type { AccountDataContribution } from '../account-data.js';
import { forgetRadios } from './radios.repository.js';

export const radiosAccountData: AccountDataContribution = { forget: (trx, account) => forgetRadios(trx, account.id) };
