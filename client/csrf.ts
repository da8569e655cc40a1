/** The page's CSRF token (a <meta> rendered for logged-in listeners), or undefined. */
export const csrfToken = () => document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content;
