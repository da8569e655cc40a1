/** The page's CSRF token (a <meta> rendered for logged-in listeners), or undefined. */
export const csrfToken = () => document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content;

/**
 * A write the script sends as the logged-in listener (a heart, a hide, an addition to a playlist):
 * the page's CSRF token in its header, JSON asked for. The answer when the server took it; undefined
 * when there is no token (a visitor), the network failed or the server refused.
 */
export async function sendWithCsrf(
  url: string,
  method: string,
  { token = csrfToken(), body }: { token?: string; body?: URLSearchParams } = {},
): Promise<Response | undefined> {
  if (!token) return undefined;
  try {
    const response = await fetch(url, { method, headers: { 'x-csrf-token': token, Accept: 'application/json' }, body });
    return response.ok ? response : undefined;
  } catch {
    return undefined;
  }
}
