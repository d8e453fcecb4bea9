// The session's checklist (TodoWrite or the Task tools), pinned at the top of the conversation and updated as Claude works.
import { useMemo } from "preact/hooks";
import { todosOf, type Todo } from "../todos.js";
import type { Item } from "../transcript.js";

const MARK: Record<Todo["status"], string> = { completed: "☑", in_progress: "◐", pending: "☐" };
const WORD: Record<Todo["status"], string> = { completed: "done", in_progress: "in progress", pending: "to do" };

export function TodoPanel({ items }: { items: readonly Item[] }) {
  const todos = useMemo(() => todosOf(items), [items]);
  if (todos.length === 0) return null;
  const done = todos.filter((t) => t.status === "completed").length;
  const current = todos.find((t) => t.status === "in_progress");
  return (
    <details class="todo-panel" open aria-label="Claude's tasks">
      <summary>
        <strong>
          Tasks {done}/{todos.length}
        </strong>
        {current && <span class="muted small"> · {current.activeForm ?? current.text}</span>}
      </summary>
      <ul>
        {todos.map((t) => (
          <li key={t.id} class={`todo ${t.status}`} data-status={t.status}>
            <span class="todo-mark" aria-label={WORD[t.status]}>
              {MARK[t.status]}
            </span>{" "}
            <span class="todo-text">{t.text}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
