// The session's checklist as a pure fold over its tool uses: the latest TodoWrite list, or the tasks of TaskCreate/TaskUpdate/TaskList.
import type { Item } from "./transcript.js";

export type TodoStatus = "pending" | "in_progress" | "completed";
export interface Todo {
  /** The task's id (Task tools) or its position (TodoWrite). */
  id: string;
  text: string;
  status: TodoStatus;
  /** What Claude says while doing it ("Running the tests"). */
  activeForm?: string;
}

type Rec = Record<string, unknown>;
const asRec = (v: unknown): Rec => (v && typeof v === "object" ? (v as Rec) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const status = (v: unknown): TodoStatus | undefined => (v === "pending" || v === "in_progress" || v === "completed" ? v : undefined);

/**
 * The checklist to pin: TodoWrite replaces the whole list with its input; TaskCreate adds a task (its id from the
 * result), TaskUpdate changes or deletes one, a TaskList result replaces them all. Uses that failed count for nothing.
 * Empty when the session used none of these tools.
 */
export function todosOf(items: readonly Item[]): Todo[] {
  let list: Todo[] = [];
  for (const item of items) {
    if (item.kind !== "tool" || !item.result || item.result.isError) continue;
    const input = asRec(item.input);
    const out = asRec(item.result.structured);
    switch (item.name) {
      case "TodoWrite": {
        const todos = Array.isArray(input.todos) ? input.todos : [];
        list = todos.flatMap((t, n) => {
          const r = asRec(t);
          const text = str(r.content);
          return text ? [{ id: String(n + 1), text, status: status(r.status) ?? "pending", ...(str(r.activeForm) ? { activeForm: str(r.activeForm)! } : {}) }] : [];
        });
        break;
      }
      case "TaskCreate": {
        const task = asRec(out.task);
        const id = str(task.id);
        const text = str(task.subject) ?? str(input.subject);
        if (!id || !text) break;
        list = [...list.filter((t) => t.id !== id), { id, text, status: "pending", ...(str(input.activeForm) ? { activeForm: str(input.activeForm)! } : {}) }];
        break;
      }
      case "TaskUpdate": {
        const id = str(input.taskId);
        if (!id || out.success === false) break;
        if (input.status === "deleted") list = list.filter((t) => t.id !== id);
        else
          list = list.map((t) =>
            t.id !== id
              ? t
              : { ...t, status: status(input.status) ?? t.status, text: str(input.subject) ?? t.text, ...(str(input.activeForm) ? { activeForm: str(input.activeForm)! } : {}) },
          );
        break;
      }
      case "TaskList": {
        const tasks = Array.isArray(out.tasks) ? out.tasks : null;
        if (!tasks) break;
        const known = new Map(list.map((t) => [t.id, t]));
        list = tasks.flatMap((t) => {
          const r = asRec(t);
          const id = str(r.id);
          const text = str(r.subject);
          if (!id || !text) return [];
          const was = known.get(id);
          return [{ id, text, status: status(r.status) ?? "pending", ...(was?.activeForm ? { activeForm: was.activeForm } : {}) }];
        });
        break;
      }
    }
  }
  return list;
}
