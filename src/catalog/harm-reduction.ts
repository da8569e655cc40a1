// Where a listener can read how to stay safer, per drug slug. The drug page and the player link
// here (views get it as `harmReduction(slug)`); a drug without its own page gets the general one.
const HARM_REDUCTION_URLS: Readonly<Record<string, string>> = Object.freeze({
  weed: 'https://www.drugsand.me/en/drugs/cannabis/',
  ecstasy: 'https://dancesafe.org/mdma/',
  shrooms: 'https://dancesafe.org/mushrooms/',
  lsd: 'https://dancesafe.org/lsd/',
});

export const GENERAL_HARM_REDUCTION_URL = 'https://dancesafe.org/drug-information/';

export function harmReductionFor(drugSlug: string): string {
  return Object.hasOwn(HARM_REDUCTION_URLS, drugSlug) ? HARM_REDUCTION_URLS[drugSlug]! : GENERAL_HARM_REDUCTION_URL;
}
