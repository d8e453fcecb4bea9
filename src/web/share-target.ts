// The page's side of sharing into the installed app: the worker that receives shares is registered, and waiting pictures are announced.
import { registerWorker } from "./push.js";
import { peekShared } from "./share-inbox.js";
import { inform } from "./store.js";

/** Only the installed app is a share target; a browser tab registers nothing (push registers the worker when asked). */
export function setUpSharing(): void {
  const installed = typeof matchMedia === "function" && matchMedia("(display-mode: standalone)").matches;
  if (installed && window.isSecureContext && "serviceWorker" in navigator) void registerWorker().catch(() => undefined);
  void peekShared().then((shared) => {
    if (!shared) return;
    const n = shared.files.length;
    inform(n > 0 ? `${n} shared picture${n === 1 ? "" : "s"}: open a session to attach ${n === 1 ? "it" : "them"} to your next prompt.` : "Shared text: open a session to use it.");
  });
}
