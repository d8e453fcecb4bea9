// The screens before a device token: how to pair, pairing in progress, a used/expired code, a revoked phone.
import iconUrl from "../icon.svg";
import { continueWithStoredToken } from "../pairing-flow.js";
import type { PairingStatus } from "../reducer.js";

const NEW_CODE = (
  <p>
    Run <code>claude-companion pair</code> on your computer for a new QR code, then scan it with this phone.
  </p>
);

const FAILURES: Record<string, { title: string; detail?: string; newCode: boolean }> = {
  PAIRING_TOKEN_USED: { title: "This QR code was already used", detail: "Each QR code pairs one phone, once.", newCode: true },
  PAIRING_TOKEN_EXPIRED: { title: "This QR code has expired", detail: "QR codes are valid for a few minutes only.", newCode: true },
  PAIRING_TOKEN_UNKNOWN: { title: "This QR code is not known", detail: "The daemon may have restarted since it was shown.", newCode: true },
  RATE_LIMITED: { title: "Too many attempts", newCode: false },
  AUTH_RATE_LIMITED: { title: "Too many attempts", newCode: false },
  NETWORK: { title: "The computer cannot be reached", newCode: false },
};

export function PairingScreen({ pairing, hasStoredToken }: { pairing: PairingStatus; hasStoredToken: boolean }) {
  if (pairing.status === "pairing") {
    return (
      <main class="center" data-screen="pairing">
        <div class="spinner" aria-hidden="true" />
        <h2>Pairing this phone…</h2>
      </main>
    );
  }
  if (pairing.status === "failed") {
    const failure = FAILURES[pairing.code];
    return (
      <main class="center" data-screen="pairing-failed">
        <div class="card warn" role="alert">
          <h2>{failure?.title ?? "Pairing failed"}</h2>
          <p>{failure?.detail ?? pairing.message}</p>
          {(failure?.newCode ?? true) && NEW_CODE}
          {hasStoredToken && (
            <button type="button" class="btn" onClick={continueWithStoredToken}>
              Continue with this phone's earlier pairing
            </button>
          )}
        </div>
      </main>
    );
  }
  return (
    <main class="center" data-screen="pair">
      <img class="logo" src={iconUrl} alt="" width={72} height={72} />
      <h2>{pairing.status === "revoked" ? "This phone is no longer paired" : "Pair this phone"}</h2>
      {pairing.status === "revoked" && <p>The computer no longer accepts this phone's token (it was revoked or the daemon was reset).</p>}
      <ol class="steps">
        <li>
          On your computer, run <code>claude-companion start</code> (or <code>claude-companion pair</code> if it already runs).
        </li>
        <li>Scan the QR code it prints with this phone's camera.</li>
        <li>This page opens paired. Add it to your home screen to come back in one tap.</li>
      </ol>
      <p class="muted">The QR code works once and for 10 minutes. Phone and computer must be on the same network.</p>
    </main>
  );
}
