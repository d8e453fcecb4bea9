// Permission prompts: a tool (Allow / Always allow / Deny with a message), a question (option buttons), a plan.
import { useState } from "preact/hooks";
import { answerPermission } from "../commands.js";
import type { Item, PermissionResolved } from "../transcript.js";
import { ToolInput } from "./tool-card.js";
import { Markdown } from "./markdown-view.js";

type Card = Extract<Item, { kind: "permission" }>;
type Question = { question: string; header?: string; multiSelect?: boolean; options: { label: string; description?: string }[] };

function questionsOf(input: unknown): Question[] {
  const qs = (input as { questions?: unknown } | null)?.questions;
  if (!Array.isArray(qs)) return [];
  return qs.filter((q): q is Question => !!q && typeof (q as Question).question === "string" && Array.isArray((q as Question).options));
}

const DECISION: Record<PermissionResolved["decision"], string> = { allow: "Allowed", allowAlways: "Always allowed", deny: "Denied" };

function resolvedText(r: PermissionResolved): string {
  switch (r.by) {
    case "client":
      return `${DECISION[r.decision]} by ${r.client ?? "a client"}`;
    case "timeout":
      return `${DECISION[r.decision]}: nobody answered in time`;
    case "cancelled":
      return "Withdrawn by Claude";
    case "shutdown":
      return "Cancelled: the daemon stopped";
  }
}

function QuestionForm({ card, sessionId, disabled }: { card: Card; sessionId: string; disabled: boolean }) {
  const questions = questionsOf(card.request.input);
  const [picked, setPicked] = useState<Record<string, string[]>>({});
  const [other, setOther] = useState<Record<string, string>>({});
  const id = card.request.permissionId;
  const send = (answers: Record<string, string>) =>
    answerPermission(sessionId, id, "allow", { updatedInput: { ...(card.request.input as object), answers } });
  const collect = (): Record<string, string> | null => {
    const answers: Record<string, string> = {};
    for (const q of questions) {
      const typed = other[q.question]?.trim();
      const value = typed || (picked[q.question] ?? []).join(", ");
      if (!value) return null;
      answers[q.question] = value;
    }
    return answers;
  };
  const single = questions.length === 1 && !questions[0]!.multiSelect;
  const ready = collect() !== null;
  return (
    <div class="questions">
      {questions.map((q) => (
        <fieldset key={q.question} disabled={disabled}>
          <legend>
            {q.header && <span class="chip">{q.header}</span>} {q.question}
          </legend>
          <div class="options">
            {q.options.map((o) => {
              const on = (picked[q.question] ?? []).includes(o.label);
              return (
                <button
                  type="button"
                  key={o.label}
                  class={`option${on ? " on" : ""}`}
                  aria-pressed={on}
                  aria-label={`Answer ${o.label}`}
                  onClick={() => {
                    if (single) return void send({ [q.question]: o.label });
                    const cur = picked[q.question] ?? [];
                    const next = q.multiSelect ? (on ? cur.filter((l) => l !== o.label) : [...cur, o.label]) : [o.label];
                    setPicked({ ...picked, [q.question]: next });
                  }}
                >
                  <strong>{o.label}</strong>
                  {o.description && <span class="muted small">{o.description}</span>}
                </button>
              );
            })}
          </div>
          <input
            class="other"
            aria-label={`Other answer to: ${q.question}`}
            placeholder="Or type another answer"
            value={other[q.question] ?? ""}
            onInput={(e) => setOther({ ...other, [q.question]: e.currentTarget.value })}
          />
        </fieldset>
      ))}
      <div class="actions">
        <button type="button" class="btn primary" disabled={disabled || !ready} onClick={() => { const a = collect(); if (a) void send(a); }}>
          Send answer
        </button>
        <button type="button" class="btn" disabled={disabled} onClick={() => void answerPermission(sessionId, id, "deny", { message: "The user declined to answer." })}>
          Decline
        </button>
      </div>
    </div>
  );
}

export function PermissionCard({ item, sessionId }: { item: Card; sessionId: string }) {
  const { request, resolved } = item;
  const [message, setMessage] = useState("");
  const [sent, setSent] = useState(false);
  const disabled = !!resolved || sent;
  const answer = async (decision: "allow" | "allowAlways" | "deny") => {
    setSent(true);
    await answerPermission(sessionId, request.permissionId, decision, decision === "deny" && message.trim() ? { message: message.trim() } : {});
    setSent(false);
  };
  const title =
    request.kind === "question" ? "Claude asks" : request.kind === "plan" ? "Approve Claude's plan?" : `Allow ${request.toolName}?`;
  return (
    <article
      class={`perm${resolved ? " resolved" : ""}`}
      data-kind="permission"
      data-seq={item.seq}
      data-permission-id={request.permissionId}
      data-resolved={resolved ? resolved.decision : undefined}
      aria-label={title}
    >
      <header>
        <strong>{title}</strong>
        {resolved && <span class={`verdict ${resolved.decision}`}>{resolvedText(resolved)}</span>}
      </header>
      {request.description && request.kind !== "question" && <p class="small">{request.description}</p>}
      {request.blockedPath && <p class="mono small path">Outside the allowed directories: {request.blockedPath}</p>}
      {request.kind === "question" ? (
        <QuestionForm card={item} sessionId={sessionId} disabled={disabled} />
      ) : request.kind === "plan" ? (
        <>
          <Markdown text={String((request.input as { plan?: unknown } | null)?.plan ?? "")} />
          {!resolved && (
            <div class="actions">
              <button type="button" class="btn primary" disabled={disabled} onClick={() => void answer("allow")}>
                Approve plan
              </button>
              <button type="button" class="btn" disabled={disabled} onClick={() => void answer("deny")}>
                Keep planning
              </button>
            </div>
          )}
        </>
      ) : (
        <>
          <ToolInput name={request.toolName} input={request.input} />
          {!resolved && (
            <>
              <input
                class="deny-msg"
                aria-label="Message for Claude when denying (optional)"
                placeholder="Message for Claude if you deny (optional)"
                value={message}
                onInput={(e) => setMessage(e.currentTarget.value)}
              />
              <div class="actions">
                <button type="button" class="btn primary" disabled={disabled} onClick={() => void answer("allow")}>
                  Allow
                </button>
                <button type="button" class="btn" disabled={disabled} onClick={() => void answer("allowAlways")}>
                  Always allow
                </button>
                <button type="button" class="btn danger" disabled={disabled} onClick={() => void answer("deny")}>
                  Deny
                </button>
              </div>
            </>
          )}
        </>
      )}
      {resolved?.message && <p class="muted small">“{resolved.message}”</p>}
    </article>
  );
}
