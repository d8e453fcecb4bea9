// The list the composer opens while you type `/` (the session's commands and skills) or `@` (files of its directory).
import { useEffect, useRef, useState } from "preact/hooks";
import type { SessionCommandsResponse } from "../../protocol/composer.js";
import { ApiError } from "../api.js";
import { fetchCommands, searchFiles } from "../composer-api.js";
import { getState } from "../store.js";
import { commandChoices, fileReference, type Trigger } from "../suggest.js";

export interface Suggestion {
  key: string;
  label: string;
  detail?: string;
  /** What replaces the typed word. */
  insert: string;
}

export interface Suggestions {
  items: Suggestion[];
  /** A line under the list: loading, nothing found, why nothing can be offered. */
  note: string | null;
}

// Per page load: a session's commands change only when its Claude Code restarts.
const commandCache = new Map<string, SessionCommandsResponse>();

function useCommands(sessionId: string, wanted: boolean): { data: SessionCommandsResponse | undefined; error: string | null } {
  const [data, setData] = useState(commandCache.get(sessionId));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!wanted || data?.source === "claude") return;
    const token = getState().token;
    if (!token) return;
    let live = true;
    fetchCommands(token, sessionId).then(
      (r) => {
        if (r.source === "claude") commandCache.set(sessionId, r);
        if (live) setData(r);
      },
      (e: unknown) => live && setError(e instanceof ApiError ? e.message : "The commands could not be loaded."),
    );
    return () => void (live = false);
  }, [sessionId, wanted, data?.source]);
  return { data, error };
}

function useFiles(dir: string | undefined, query: string | null): { files: string[] | null; truncated: boolean; error: string | null } {
  const [state, setState] = useState<{ files: string[] | null; truncated: boolean; error: string | null }>({ files: null, truncated: false, error: null });
  const asked = useRef(0);
  useEffect(() => {
    if (query === null || !dir) return;
    const token = getState().token;
    if (!token) return;
    const n = ++asked.current;
    const timer = setTimeout(() => {
      searchFiles(token, dir, query).then(
        (r) => n === asked.current && setState({ files: r.files, truncated: r.truncated, error: null }),
        (e: unknown) => n === asked.current && setState({ files: [], truncated: false, error: e instanceof ApiError ? e.message : "Files could not be listed." }),
      );
    }, 120);
    return () => clearTimeout(timer);
  }, [dir, query]);
  return state;
}

/** What to offer for the word being typed (nothing without a trigger). */
export function useSuggestions(trigger: Trigger | null, sessionId: string, dir: string | undefined): Suggestions | null {
  const commands = useCommands(sessionId, trigger?.kind === "command");
  const files = useFiles(dir, trigger?.kind === "file" ? trigger.query : null);
  if (!trigger) return null;
  if (trigger.kind === "command") {
    if (commands.error) return { items: [], note: commands.error };
    if (!commands.data) return { items: [], note: "Loading commands…" };
    if (commands.data.source === "none") return { items: [], note: "Commands show once Claude Code runs in this session (send a prompt first); this directory has no command files of its own." };
    const { offered, leftOut } = commandChoices(commands.data.commands, trigger.query);
    const items = offered.map((c) => ({
      key: c.name,
      label: `/${c.name}${c.argumentHint ? ` ${c.argumentHint}` : ""}`,
      detail: c.description,
      insert: `/${c.name}`,
    }));
    const partial = commands.data.source === "files" ? "Claude Code is not running here yet: only this directory's own commands are listed." : null;
    const notes = [items.length === 0 && !leftOut ? `No command starts with /${trigger.query}.` : null, leftOut, partial].filter(Boolean);
    return { items, note: notes.length ? notes.join(" ") : null };
  }
  if (!dir) return { items: [], note: "This session has no directory to search." };
  if (files.error) return { items: [], note: files.error };
  if (files.files === null) return { items: [], note: "Searching files…" };
  const items = files.files.map((f) => ({ key: f, label: f, insert: fileReference(f) }));
  return { items, note: items.length === 0 ? `No file matches ${trigger.query || "here"}.` : files.truncated ? "The directory is large: some files may be missing." : null };
}

export function SuggestionList({ kind, suggestions, active, onPick }: { kind: Trigger["kind"]; suggestions: Suggestions; active: number; onPick(s: Suggestion): void }) {
  return (
    <div class="suggest" data-suggest={kind}>
      {suggestions.items.length > 0 && (
        <ul role="listbox" aria-label={kind === "command" ? "Commands" : "Files"}>
          {suggestions.items.map((s, i) => (
            <li
              key={s.key}
              role="option"
              aria-selected={i === active}
              class={i === active ? "active" : undefined}
              // Keep the focus (and the phone's keyboard) in the text box.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onPick(s)}
            >
              <span class={`label${kind === "file" ? " mono" : ""}`}>{s.label}</span>
              {s.detail && <span class="detail muted small">{s.detail}</span>}
            </li>
          ))}
        </ul>
      )}
      {suggestions.note && <p class="muted small note">{suggestions.note}</p>}
    </div>
  );
}
