// Copy on any message: a "⋯" button on the bubble, or a long press on it, opens a small menu with Copy.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { CopyButton } from "./copy-button.js";

const LONG_PRESS_MS = 500;
/** A finger that moves more than this (px) is scrolling, not pressing. */
const MOVE_SLOP = 10;

/** Wraps a bubble's content; `text` is what Copy puts on the clipboard (the message as Claude or the user wrote it). */
export function MessageMenu({ text, children }: { text: string; children: ComponentChildren }) {
  const [open, setOpen] = useState(false);
  const press = useRef<{ timer: ReturnType<typeof setTimeout>; x: number; y: number } | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const cancel = () => {
    if (press.current) clearTimeout(press.current.timer);
    press.current = null;
  };
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("pointerdown", close);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", close);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);
  useEffect(() => cancel, []);
  return (
    <div
      ref={root}
      class="msg"
      onPointerDown={(e) => {
        if (e.pointerType === "mouse" || (e.target as Element).closest("button, a, input, textarea, summary")) return;
        cancel();
        press.current = { timer: setTimeout(() => setOpen(true), LONG_PRESS_MS), x: e.clientX, y: e.clientY };
      }}
      onPointerMove={(e) => {
        const p = press.current;
        if (p && Math.hypot(e.clientX - p.x, e.clientY - p.y) > MOVE_SLOP) cancel();
      }}
      onPointerUp={cancel}
      onPointerCancel={cancel}
      onContextMenu={(e) => {
        // Android fires contextmenu on a long press: our menu instead of the browser's (a text selection keeps the browser's).
        if (window.getSelection()?.toString()) return;
        e.preventDefault();
        cancel();
        setOpen(true);
      }}
    >
      {children}
      <button type="button" class="msg-more" aria-label="Message actions" aria-expanded={open} onClick={() => setOpen(!open)} />
      {open && (
        <div class="msg-menu" role="group" aria-label="Message actions">
          <CopyButton text={text} label="Copy message" what="message" />
        </div>
      )}
    </div>
  );
}
