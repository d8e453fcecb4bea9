// The pairing flow: a QR link's `#pair=` fragment is exchanged for this phone's device token, checked, kept and connected with; unpairing revokes it.
import { parsePairingFragment } from "../protocol/pairing-link.js";
import { ApiError, pairDevice, tokenWorks, unpairSelf } from "./api.js";
import { connect, disconnect, unpair } from "./commands.js";
import { deviceNameFor, loadToken, saveToken } from "./pairing.js";
import { getState, inform, set } from "./store.js";

/**
 * Acts on a `#pair=` fragment (at load, or when a QR link opens in the already open page) and removes
 * it: the pairing token must not stay in the address bar, the history or a bookmark. Nothing is stored
 * until the daemon has issued the new token and accepted it, so a link from anywhere (any site can
 * open `http://<daemon>/#…`) can never replace this phone's pairing with a bad one; any other fragment
 * (the old `#token=` form included) is not a pairing. Returns false when the fragment is not a pairing link.
 */
export function takeFragment(): boolean {
  const link = parsePairingFragment(location.hash);
  if (!link) {
    // The old `#token=<master token>` form is not acted on any more; a real token must not stay in the history.
    if (location.hash.startsWith("#token=")) history.replaceState(null, "", location.pathname + location.search);
    return false;
  }
  history.replaceState(null, "", location.pathname + location.search);
  set({ route: { name: "list" } });
  disconnect();
  set({ token: null, pairing: { status: "pairing" } });
  pairDevice(link.pairingToken, deviceNameFor(navigator.userAgent))
    .then(async (r) => {
      if (!(await tokenWorks(r.deviceToken))) throw new ApiError(401, "UNAUTHORIZED", "The computer did not accept the new pairing.");
      saveToken(r.deviceToken, r.deviceId);
      connect(r.deviceToken);
    })
    .catch((e: unknown) => {
      const code = e instanceof ApiError ? e.code : "NETWORK";
      const message = e instanceof Error ? e.message : "Pairing failed.";
      // A phone paired before keeps its token; the failure screen offers to go on with it.
      set({ pairing: { status: "failed", code, message } });
    });
  return true;
}

/** Connects with the token kept on this phone, if any (at load, and the button on the failure screen). */
export function continueWithStoredToken(): void {
  const token = loadToken();
  if (token) connect(token);
}

/**
 * "Unpair this phone": the computer revokes this phone's token first (so it no longer works anywhere),
 * then it is forgotten here. When the computer cannot be reached the user chooses: keep it, or forget
 * it here only (it stays valid there until `claude-companion devices revoke`).
 */
export async function forgetPairing(): Promise<void> {
  const token = getState().token;
  if (!token) return unpair("none");
  // The revocation closes this page's socket with 4401: stop it first so that is not taken for "revoked elsewhere".
  disconnect();
  try {
    await unpairSelf(token);
  } catch (e) {
    if (e instanceof ApiError && e.code === "NOT_A_DEVICE") {
      inform("This phone used the computer's master token: it is forgotten here; replace it with `claude-companion token --rotate`.");
    } else if (!(e instanceof ApiError && e.status === 401)) {
      const why = e instanceof Error ? e.message : "The computer did not answer.";
      if (!confirm(`${why}\n\nThe pairing stays valid on the computer (revoke it there with \`claude-companion devices revoke\`). Forget it on this phone anyway?`)) return connect(token);
    }
  }
  unpair("none");
}
