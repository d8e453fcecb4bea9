// Whether this page can have Web Push, and why not: pure (no DOM), so the root typecheck and table tests can use it.
export type PushSupport = { available: true } | { available: false; reason: string };

/** Pure: what the settings screen says for a page with these capabilities. */
export function pushSupportFor(page: { secure: boolean; host: string; serviceWorker: boolean; pushManager: boolean; notification: boolean }): PushSupport {
  if (!page.secure) {
    return {
      available: false,
      reason: `Browsers allow notifications only on HTTPS or localhost, and this page is plain HTTP (${page.host}). Use ntfy instead (claude-companion notify add ntfy https://ntfy.sh/<topic>), or open the daemon over HTTPS (start --tailscale, or your own certificate).`,
    };
  }
  if (!page.serviceWorker || !page.pushManager || !page.notification) {
    return { available: false, reason: "This browser has no Web Push. On iPhone, add the page to the home screen first; or use ntfy." };
  }
  return { available: true };
}
