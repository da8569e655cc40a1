// Reading a rendered page in a test: its track rows, without the <template> row the player copies.

/** The page's HTML without its <template> elements. */
export const withoutTemplates = (html: string): string => html.replace(/<template\b[\s\S]*?<\/template>/g, '');

/** The titles of the page's track rows, in order. */
export const trackTitles = (html: string): string[] => [...withoutTemplates(html).matchAll(/class="track-title">([^<]*)</g)].map((m) => m[1]!);

/** Undoes the HTML escaping of an attribute's value (&amp; and friends). */
export const attributeValue = (text: string): string =>
  text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
