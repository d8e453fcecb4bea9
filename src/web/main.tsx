// Entry point of the phone client: start the store, render the app.
import { render } from "preact";
import { App } from "./app.js";
import { boot } from "./store.js";
import "./styles.css";

boot();
render(<App />, document.getElementById("app")!);
