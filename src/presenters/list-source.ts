// What a list of songs is to the player, in a page's data: shared by the server's presenter and
// the browser's player (a type only: client/ bundles none of the server's code).

/** What a list is to the player: "Playing from: <label>", and where its full page is. */
export interface ListSource {
  /** Two pages with the same key show the same list: the player keeps playing it rather than start it again. */
  key: string;
  label: string;
  href: string;
  /** The artwork the mini-player and the lock screen show. */
  artwork: string;
  /** `drug/mood`, when the list is a genre's: plays are counted per genre. */
  genre?: string;
  /** A genre's list can be shared as exactly what plays (`?songs=…&cursor=…` on these paths). */
  share?: { page: string; embed: string };
}
