// Permission prompts: a tool (Allow / Always allow, saying what it grants / Deny with a message), a question, a plan.
import { useState } from "preact/hooks";
import { answerPermission } from "../commands.js";
import { grantLines } from "../grants.js";
import { getState } from "../store.js";
import type { Item, PermissionRequest, PermissionResolved } from "../transcript.js";
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

export function resolvedText(r: PermissionResolved): string {
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

/** The answers a question got: from the tool's result (what Claude Code received), else what this page sent. */
export function answersOf(structured: unknown): Record<string, string> | null {
  const a = (structured as { answers?: unknown } | null)?.answers;
  if (!a || typeof a !== "object") return null;
  const out = Object.fromEntries(Object.entries(a).filter((e): e is [string, string] => typeof e[1] === "string"));
  return Object.keys(out).length ? out : null;
}

function Answers({ answers }: { answers: Record<string, string> }) {
  return (
    <dl class="answers" aria-label="Answers">
      {Object.entries(answers).map(([q, a]) => (
        <div key={q}>
          <dt class="muted small">{q}</dt>
          <dd>{a}</dd>
        </div>
      ))}
    </dl>
  );
}

function QuestionForm({ request, sessionId, disabled, onSent }: { request: PermissionRequest; sessionId: string; disabled: boolean; onSent(a: Record<string, string>): void }) {
  const questions = questionsOf(request.input);
  const [picked, setPicked] = useState<Record<string, string[]>>({});
  const [other, setOther] = useState<Record<string, string>>({});
  const id = request.permissionId;
  const send = (answers: Record<string, string>) => {
    onSent(answers);
    return answerPermission(sessionId, id, "allow", { updatedInput: { ...(request.input as object), answers } });
  };
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

const planOf = (input: unknown): string | undefined => {
  const plan = (input as { plan?: unknown } | null)?.plan;
  return typeof plan === "string" && plan.trim() ? plan : undefined;
};

/**
 * The question and the answer buttons of a request, in its own card or in its tool's card. `toolInput`:
 * the tool use's input when the tool card shows it (then it is not shown twice; a plan may only be there).
 */
export function PermissionBody(props: { request: PermissionRequest; resolved?: PermissionResolved; sessionId: string; toolInput?: unknown; answers?: Record<string, string> | null }) {
  const { request, resolved, sessionId } = props;
  const [message, setMessage] = useState("");
  const [sent, setSent] = useState(false);
  const [mine, setMine] = useState<Record<string, string> | null>(null);
  const disabled = !!resolved || sent;
  const answer = async (decision: "allow" | "allowAlways" | "deny") => {
    setSent(true);
    await answerPermission(sessionId, request.permissionId, decision, decision === "deny" && message.trim() ? { message: message.trim() } : {});
    setSent(false);
  };
  const inCard = props.toolInput !== undefined;
  const grants = grantLines(request.suggestions, getState().sessions[sessionId]?.workingDirectory);
  const answers = props.answers ?? (resolved?.decision === "allow" ? mine : null);
  if (request.kind === "question") {
    return (
      <>
        {resolved && answers ? <Answers answers={answers} /> : <QuestionForm request={request} sessionId={sessionId} disabled={disabled} onSent={setMine} />}
        {resolved && <p class={`verdict ${resolved.decision}`}>{resolvedText(resolved)}</p>}
      </>
    );
  }
  if (request.kind === "plan") {
    const plan = planOf(request.input) ?? planOf(props.toolInput);
    return (
      <>
        {plan ? <Markdown text={plan} /> : <p class="muted small">Claude did not send the plan's text.</p>}
        {resolved ? (
          <p class={`verdict ${resolved.decision}`}>{resolvedText(resolved)}</p>
        ) : (
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
    );
  }
  return (
    <>
      {request.description && !inCard && <p class="small">{request.description}</p>}
      {request.blockedPath && <p class="mono small path">Outside the allowed directories: {request.blockedPath}</p>}
      {!inCard && <ToolInput name={request.toolName} input={request.input} toolUseId={request.toolUseId ?? request.permissionId} />}
      {resolved ? (
        <p class={`verdict ${resolved.decision}`}>{resolvedText(resolved)}</p>
      ) : (
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
            {grants.length > 0 && (
              <button type="button" class="btn" disabled={disabled} onClick={() => void answer("allowAlways")} aria-describedby={`grants-${request.permissionId}`}>
                Always allow
              </button>
            )}
            <button type="button" class="btn danger" disabled={disabled} onClick={() => void answer("deny")}>
              Deny
            </button>
          </div>
          {grants.length > 0 && (
            <p class="muted small grants" id={`grants-${request.permissionId}`}>
              Always allow will {grants.join("; ")}.
            </p>
          )}
        </>
      )}
      {resolved?.message && <p class="muted small">“{resolved.message}”</p>}
    </>
  );
}

export const requestTitle = (request: PermissionRequest): string =>
  request.kind === "question" ? "Claude asks" : request.kind === "plan" ? "Approve Claude's plan?" : `Allow ${request.toolName}?`;

/** A request with no tool card to join (no toolUseId, or its tool use was not seen). */
export function PermissionCard({ item, sessionId }: { item: Card; sessionId: string }) {
  const { request, resolved } = item;
  const title = requestTitle(request);
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
      </header>
      <PermissionBody request={request} resolved={resolved} sessionId={sessionId} />
    </article>
  );
}
