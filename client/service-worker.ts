// Registers the service worker (client/sw.ts, served at /sw.js) on every page. Browsers offer it
// only in a secure context (https, or http on localhost), hence the check.
export function registerServiceWorker(): void {
  // Not inside another site's page (an embed): the app is installed from Stereodose itself.
  if (!('serviceWorker' in navigator) || window.top !== window.self) return;
  // After the page has loaded: pre-caching the shell should not compete with the page's own requests.
  window.addEventListener('load', () => {
    navigator.serviceWorker
      .register('/sw.js', { scope: '/', updateViaCache: 'none' })
      .catch((err: unknown) => console.warn('service worker not registered', err));
  });
}
