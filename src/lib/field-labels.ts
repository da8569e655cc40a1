// What a person calls a field a message is about: "Current password", not "currentPassword". The
// field's own message, beside it, uses the label its form shows; this is for the messages that
// name fields away from them (a form's banner, the error page, a JSON message).
const LABELS: Record<string, string> = {
  genreIds: 'moods',
  currentPassword: 'current password',
  newPassword: 'new password',
  accountPassword: 'your password',
  emailPassword: 'your password',
  songId: 'song',
  playlistId: 'playlist',
  returnTo: 'return address',
  ids: 'songs',
};

/** "currentPassword" → "current password"; an unknown key is split at its capitals. */
export function fieldLabel(key: string): string {
  return LABELS[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** "current password and new password". */
export function fieldList(keys: readonly string[]): string {
  const labels = keys.map(fieldLabel);
  return labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
}
