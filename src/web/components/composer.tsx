// The prompt box: text kept as a draft per session, pictures (camera, gallery, paste, share), `/` commands and `@` files.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { interrupt, sendPrompt } from "../commands.js";
import { loadDraftImages, saveDraftImages } from "../draft-images.js";
import { loadDraft, saveDraft } from "../drafts.js";
import { fitImages, LIMITS_TEXT, prepareImages, type AttachedImage } from "../images.js";
import { takeShared } from "../share-inbox.js";
import { replaceWord, triggerAt } from "../suggest.js";
import { Attachments } from "./composer-attachments.js";
import { SuggestionList, useSuggestions, type Suggestion } from "./composer-suggestions.js";
import "../composer.css";

export function Composer({ sessionId, online, running, workingDirectory }: { sessionId: string; online: boolean; running: boolean; workingDirectory: string | undefined }) {
  const [text, setText] = useState(() => loadDraft(sessionId));
  const [caret, setCaret] = useState(-1);
  const [images, setImages] = useState<AttachedImage[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const [sending, setSending] = useState(false);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);

  // Layout effect: saved in the same task as the keystroke's render (an effect waits for a frame, and a reload right after typing lost it).
  useLayoutEffect(() => saveDraft(sessionId, text), [sessionId, text]);

  const attached = useRef(images);
  attached.current = images;
  const attach = async (files: File[]) => {
    if (files.length === 0) return;
    setReading(true);
    const { images: read, errors } = await prepareImages(files);
    const fit = fitImages(attached.current, read);
    attached.current = fit.images;
    setImages(fit.images);
    const why = [...errors, fit.refused].filter(Boolean).join(" ");
    setProblem(why || null);
    setReading(false);
  };

  // The draft's pictures come back first; then pictures shared into the installed app (Web Share Target),
  // which wait for the next session opened. Nothing is saved before that, or the empty list would erase them.
  const restored = useRef(false);
  useEffect(() => {
    let live = true;
    void loadDraftImages(sessionId)
      .then((saved) => {
        if (!live) return null;
        if (saved.length > 0) {
          const fit = fitImages(attached.current, saved);
          attached.current = fit.images;
          setImages(fit.images);
        }
        restored.current = true;
        return takeShared();
      })
      .then((shared) => {
        if (!live || !shared) return;
        if (shared.text) setText((t) => (t ? t : shared.text));
        void attach(shared.files);
      });
    return () => void (live = false);
  }, [sessionId]);
  useEffect(() => {
    if (restored.current) void saveDraftImages(sessionId, images);
  }, [sessionId, images]);

  const trigger = caret >= 0 ? triggerAt(text, caret) : null;
  const triggerKey = trigger ? `${trigger.kind}:${trigger.start}` : null;
  const open = trigger && triggerKey !== dismissed ? trigger : null;
  const suggestions = useSuggestions(open, sessionId, workingDirectory);
  useEffect(() => setActive(0), [triggerKey, suggestions?.items.length]);

  const pick = (s: Suggestion) => {
    if (!open) return;
    const next = replaceWord(text, open.start, open.end, s.insert);
    setText(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => {
      box.current?.focus();
      box.current?.setSelectionRange(next.caret, next.caret);
    });
  };

  const canSend = online && !sending && !reading && text.trim() !== "";
  const send = async () => {
    if (!canSend) return;
    setSending(true);
    if (await sendPrompt(sessionId, text, images.map(({ mediaType, data }) => ({ mediaType, data })))) {
      setText("");
      setImages([]);
      setProblem(null);
    }
    setSending(false);
  };
  const track = (el: HTMLTextAreaElement) => setCaret(el.selectionStart === el.selectionEnd ? el.selectionStart : -1);
  const items = suggestions?.items ?? [];

  return (
    <form
      class="composer composer-rich"
      data-draft={text ? "kept" : ""}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      {open && suggestions && <SuggestionList kind={open.kind} suggestions={suggestions} active={active} onPick={pick} />}
      <Attachments images={images} onRemove={(id) => setImages((list) => list.filter((i) => i.id !== id))} />
      {problem && (
        <p class="composer-problem small" role="alert">
          {problem}
        </p>
      )}
      {reading && <p class="muted small composer-reading">Reading the picture…</p>}
      <div class="composer-row">
        <label class="btn icon attach" aria-label="Attach pictures" title={`Attach pictures: ${LIMITS_TEXT}`}>
          <input type="file" accept="image/*" multiple hidden data-attach="gallery" onChange={(e) => {
            const input = e.currentTarget;
            void attach([...(input.files ?? [])]);
            input.value = "";
          }} />
          <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <rect x="3" y="4" width="18" height="16" rx="2" />
            <circle cx="9" cy="10" r="2" />
            <path d="m21 16-5-5-9 9" />
          </svg>
        </label>
        <label class="btn icon attach" aria-label="Take a photo" title="Take a photo">
          <input type="file" accept="image/*" capture="environment" hidden data-attach="camera" onChange={(e) => {
            const input = e.currentTarget;
            void attach([...(input.files ?? [])]);
            input.value = "";
          }} />
          <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <path d="M4 8h3l2-3h6l2 3h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1z" />
            <circle cx="12" cy="13.5" r="3.5" />
          </svg>
        </label>
        <textarea
          ref={box}
          aria-label="Prompt"
          placeholder={online ? (images.length > 0 ? "About the picture…" : running ? "Queue another prompt…" : "Ask Claude…") : "Offline: draft kept"}
          value={text}
          rows={Math.min(6, Math.max(1, text.split("\n").length))}
          onInput={(e) => {
            setText(e.currentTarget.value);
            track(e.currentTarget);
          }}
          onClick={(e) => track(e.currentTarget)}
          onKeyUp={(e) => {
            if (!["ArrowUp", "ArrowDown", "Enter", "Tab", "Escape"].includes(e.key)) track(e.currentTarget);
          }}
          onBlur={() => setTimeout(() => setCaret(-1), 150)}
          onPaste={(e) => {
            const files = [...(e.clipboardData?.files ?? [])].filter((f) => f.type.startsWith("image/"));
            if (files.length === 0) return;
            if (!e.clipboardData?.getData("text/plain")) e.preventDefault();
            void attach(files);
          }}
          onKeyDown={(e) => {
            if (open && items.length > 0) {
              if (e.key === "ArrowDown" || e.key === "ArrowUp") {
                e.preventDefault();
                setActive((a) => (a + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length);
                return;
              }
              if ((e.key === "Enter" && !e.ctrlKey && !e.metaKey) || e.key === "Tab") {
                e.preventDefault();
                pick(items[Math.min(active, items.length - 1)]!);
                return;
              }
            }
            if (open && e.key === "Escape") {
              e.preventDefault();
              setDismissed(triggerKey);
              return;
            }
            // Enter adds a line (phones have no shift key); Ctrl/Cmd+Enter sends.
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void send();
            }
          }}
        />
        {running && (
          <button type="button" class="btn icon danger" aria-label="Interrupt" title="Interrupt" onClick={() => void interrupt(sessionId)} disabled={!online}>
            ■
          </button>
        )}
        <button type="submit" class="btn icon primary" aria-label="Send" title="Send" disabled={!canSend}>
          ➤
        </button>
      </div>
    </form>
  );
}
