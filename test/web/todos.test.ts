// The pinned checklist as a fold over tool uses: TodoWrite lists, and the Task tools (TaskCreate, TaskUpdate, TaskList).
import { expect, test } from "vitest";
import { todosOf } from "../../src/web/todos.js";
import type { Item } from "../../src/web/transcript.js";

let seq = 0;
const tool = (name: string, input: unknown, structured?: unknown, isError = false): Item => {
  seq++;
  return { kind: "tool", key: `t${seq}`, seq, toolUseId: `tu${seq}`, name, input, result: { phase: "result", toolUseId: `tu${seq}`, isError, content: "", structured } };
};
const brief = (items: Item[]) => todosOf(items).map((t) => `${t.id}:${t.text}:${t.status}`);

test("the latest TodoWrite is the list; a failed one changes nothing", () => {
  const items = [
    tool("TodoWrite", { todos: [{ content: "A", status: "completed", activeForm: "Doing A" }, { content: "B", status: "in_progress", activeForm: "Doing B" }] }),
    tool("TodoWrite", { todos: [{ content: "X", status: "pending" }] }, "Error: No such tool available: TodoWrite.", true),
  ];
  expect(brief(items)).toEqual(["1:A:completed", "2:B:in_progress"]);
  expect(todosOf(items)[1]!.activeForm).toBe("Doing B");
  expect(brief([...items, tool("TodoWrite", { todos: [{ content: "C", status: "pending" }] })])).toEqual(["1:C:pending"]);
});

test("TaskCreate adds (id from its result), TaskUpdate changes or deletes, TaskList replaces", () => {
  const items = [
    tool("TaskCreate", { subject: "Write the fix", description: "d", activeForm: "Writing the fix" }, { task: { id: "1", subject: "Write the fix" } }),
    tool("TaskCreate", { subject: "Run the tests", description: "d" }, { task: { id: "2", subject: "Run the tests" } }),
    tool("TaskUpdate", { taskId: "1", status: "in_progress" }, { success: true, taskId: "1", updatedFields: ["status"] }),
  ];
  expect(brief(items)).toEqual(["1:Write the fix:in_progress", "2:Run the tests:pending"]);
  const more = [...items, tool("TaskUpdate", { taskId: "2", status: "deleted" }, { success: true }), tool("TaskUpdate", { taskId: "1", status: "completed" }, { success: false })];
  expect(brief(more)).toEqual(["1:Write the fix:in_progress"]);
  const listed = [...more, tool("TaskList", {}, { tasks: [{ id: "1", subject: "Write the fix", status: "completed", blockedBy: [] }, { id: "3", subject: "Ship", status: "pending", blockedBy: [] }] })];
  expect(brief(listed)).toEqual(["1:Write the fix:completed", "3:Ship:pending"]);
  expect(todosOf(listed)[0]!.activeForm).toBe("Writing the fix");
});

test("no todo tools: no checklist", () => {
  expect(todosOf([tool("Bash", { command: "ls" }, { stdout: "" })])).toEqual([]);
});
