// The Changes screens of a session (list, diff, file viewer) with their header: back goes up one level.
import type { ComponentChildren } from "preact";
import type { Route } from "../routes.js";
import type { AppState } from "../reducer.js";
import { baseName } from "../format.js";
import { navigate } from "../navigate.js";
import { ChangesView } from "./changes-view.js";
import { DiffView } from "./diff-view.js";
import { FileView } from "./file-view.js";
import { Header } from "./header.js";
import "../changes.css";

export type ChangesRoute = Extract<Route, { name: "changes" | "diff" | "file" }>;

export function ChangesScreen({ route, state, notice }: { route: ChangesRoute; state: AppState; notice: ComponentChildren }) {
  const online = state.conn === "connected";
  const info = state.sessions[route.id];
  if (route.name === "changes") {
    return (
      <>
        <Header title="Changes" subtitle={info ? (info.title ?? baseName(info.workingDirectory)) : undefined} back={() => navigate({ name: "session", id: route.id })} backLabel="Back to the conversation" conn={state.conn} />
        {notice}
        <ChangesView id={route.id} online={online} />
      </>
    );
  }
  return (
    <>
      <Header title={baseName(route.path) || route.path} subtitle={route.path} back={() => navigate({ name: "changes", id: route.id })} backLabel="Back to changes" conn={state.conn} />
      {notice}
      {route.name === "diff" ? <DiffView id={route.id} path={route.path} /> : <FileView path={route.path} />}
    </>
  );
}
