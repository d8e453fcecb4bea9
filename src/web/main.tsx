// Entry point of the phone client: hash routing, the pairing fragment, the stored token, then render.
import { render } from "preact";
import { App } from "./app.js";
import { NotifyAgent } from "./components/notify-agent.js";
import { openSession, refreshList } from "./commands.js";
import { continueWithStoredToken, takeFragment } from "./pairing-flow.js";
import { parseRoute } from "./routes.js";
import { setUpSharing } from "./share-target.js";
import { getState, set } from "./store.js";
import "./styles.css";
import "./reading.css";

function onRoute(): void {
  const route = parseRoute(location.hash);
  set({ route, notice: null });
  if (route.name === "session") openSession(route.id);
  if (route.name === "historySession") openSession(route.id, true);
  if (route.name === "list") refreshList();
}

window.addEventListener("hashchange", () => {
  if (!takeFragment()) onRoute();
});
set({ route: parseRoute(location.hash) });
if (!takeFragment()) continueWithStoredToken();
setUpSharing();
const first = getState().route;
if (first.name === "session") openSession(first.id);
if (first.name === "historySession") openSession(first.id, true);

render(
  <>
    <App />
    <NotifyAgent />
  </>,
  document.getElementById("app")!,
);
