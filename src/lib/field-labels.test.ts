import { describe, expect, it } from 'vitest';
import { tryAgainIn, ValidationFailed } from './errors.js';
import { fieldLabel } from './field-labels.js';

describe('words a person reads', () => {
  it('when a message names fields away from the form, then it uses their labels, never their keys', () => {
    expect(fieldLabel('genreIds')).toBe('moods');
    expect(fieldLabel('currentPassword')).toBe('current password');
    expect(fieldLabel('someNewThing')).toBe('some new thing');
    expect(new ValidationFailed({ currentPassword: 'is required' }).message).toBe('Please check current password.');
    expect(new ValidationFailed({ title: 'x', genreIds: 'y', year: 'z' }).message).toBe('Please check title, moods and year.');
  });

  it('when a wait is announced, then it reads "13 minutes", "a minute" or seconds, never "minute(s)"', () => {
    expect(tryAgainIn(13 * 60)).toBe('Try again in 13 minutes.');
    expect(tryAgainIn(12 * 60 + 1)).toBe('Try again in 13 minutes.');
    expect(tryAgainIn(61)).toBe('Try again in 2 minutes.');
    expect(tryAgainIn(60)).toBe('Try again in a minute.');
    expect(tryAgainIn(40)).toBe('Try again in 40 seconds.');
    expect(tryAgainIn(0.2)).toBe('Try again in a second.');
  });
});
