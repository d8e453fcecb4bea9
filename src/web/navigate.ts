// Moving between screens: sets the hash; the page's `hashchange` listener (main.tsx) acts on it.
import { routeHash, type Route } from "./routes.js";

/** Goes to a screen; the page's `hashchange` listener acts on it (also when the hash is already there). */
export function navigate(route: Route): void {
  const hash = routeHash(route);
  if (location.hash !== hash) location.hash = hash;
  else window.dispatchEvent(new HashChangeEvent("hashchange"));
}
