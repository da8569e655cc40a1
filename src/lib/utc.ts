// Moments as Stereodose writes them for people and for its `day` columns: always in UTC, so every
// process, database and reader agrees on which day a play, a hide or a link's expiry falls on.

/** "2026-12-01": the UTC day a moment falls on, as the `day` columns store it. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** "2026-12-01 14:05 UTC": how mail and the commands say when a link expires. */
export const utcMinute = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
