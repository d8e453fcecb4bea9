// A small Copy button that says "Copied" for a moment (or "Copy failed").
import { useEffect, useState } from "preact/hooks";
import { copyText } from "../copy.js";

export function CopyButton({ text, label = "Copy", what }: { text: string | (() => string); label?: string; what: string }) {
  const [done, setDone] = useState<null | boolean>(null);
  useEffect(() => {
    if (done === null) return;
    const t = setTimeout(() => setDone(null), 1500);
    return () => clearTimeout(t);
  }, [done]);
  return (
    <button
      type="button"
      class="btn copy"
      aria-label={`Copy ${what}`}
      onClick={async (e) => {
        e.stopPropagation();
        setDone(await copyText(typeof text === "function" ? text() : text));
      }}
    >
      {done === null ? label : done ? "Copied" : "Copy failed"}
    </button>
  );
}
