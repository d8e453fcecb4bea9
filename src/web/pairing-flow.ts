// The pairing flow: a QR link's `#pair=` fragment is exchanged for this phone's device token, kept, and connected with.
import { parsePairingFragment } from "../protocol/pairing-link.js";
import { ApiError, pairDevice } from "./api.js";
import { connect, disconnect, unpair } from "./commands.js";
import { deviceNameFor, loadToken, saveToken } from "./pairing.js";
import { set } from "./store.js";

const LEGACY_TOKEN = /^#token=([A-Za-z0-9_\-.~+/=]{1,512})$/;

/**
 * Acts on a `#pair=` or `#token=` fragment (at load, or when a QR link opens in the already open page)
 * and removes it: the pairing token must not stay in the address bar, the history or a bookmark.
 * Returns false when the fragment is a route (or empty).
 */
export function takeFragment(): boolean {
  const hash = location.hash;
  const link = parsePairingFragment(hash);
  const legacy = link ? null : LEGACY_TOKEN.exec(hash)?.[1];
  if (!link && !legacy) return false;
  history.replaceState(null, "", location.pathname + location.search);
  set({ route: { name: "list" } });
  if (legacy) {
    saveToken(legacy);
    connect(legacy);
    return true;
  }
  disconnect();
  set({ token: null, pairing: { status: "pairing" } });
  pairDevice(link!.pairingToken, deviceNameFor(navigator.userAgent)).then(
    (r) => {
      saveToken(r.deviceToken, r.deviceId);
      connect(r.deviceToken);
    },
    (e: unknown) => {
      const code = e instanceof ApiError ? e.code : "NETWORK";
      const message = e instanceof Error ? e.message : "Pairing failed.";
      // A phone paired before keeps its token; the failure screen offers to go on with it.
      set({ pairing: { status: "failed", code, message } });
    },
  );
  return true;
}

/** Connects with the token kept on this phone, if any (at load, and the button on the failure screen). */
export function continueWithStoredToken(): void {
  const token = loadToken();
  if (token) connect(token);
}

/** "Unpair this phone": forgets the token here. */
export function forgetPairing(): void {
  unpair("none");
}
