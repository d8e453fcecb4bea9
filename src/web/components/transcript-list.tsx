// The transcript's list: only the last items are drawn (earlier ones on scrolling up), pinned to the bottom while you are there.
import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useReducer, useRef } from "preact/hooks";
import type { Item } from "../transcript.js";

/** Items drawn when a conversation opens, and how many more each step up draws. */
export const TRANSCRIPT_WINDOW = 40;
/** Within this many pixels of the bottom the list follows new items. */
const PINNED_PX = 120;

const scrollBottom = () => window.innerHeight + window.scrollY;
const pageHeight = () => document.documentElement.scrollHeight;

/**
 * Draws the last `TRANSCRIPT_WINDOW` items, and `TRANSCRIPT_WINDOW` more each time the top is reached (scrolling up,
 * or the "Show earlier" button), keeping what you read in place. While you are at the bottom, new items
 * scroll it along (the oldest drawn ones leave); while you read earlier items, new ones below move nothing.
 */
export function TranscriptList({ items, render }: { items: Item[]; render: (item: Item) => ComponentChildren }) {
  const count = useRef(TRANSCRIPT_WINDOW);
  const seen = useRef(items.length);
  const pinned = useRef(true);
  // Distance from the bottom of the page to keep after drawing earlier items above (null: none pending).
  const keep = useRef<number | null>(null);
  const top = useRef<HTMLDivElement>(null);
  const [, redraw] = useReducer((n: number) => n + 1, 0);

  // New items while you read above: the first drawn item stays the first. A rebuilt (shorter) view starts again.
  if (items.length > seen.current && !pinned.current) count.current += items.length - seen.current;
  else if (items.length < seen.current) count.current = TRANSCRIPT_WINDOW;
  seen.current = items.length;
  const start = Math.max(0, items.length - count.current);

  const earlier = () => {
    if (start === 0) return;
    keep.current = pageHeight() - window.scrollY;
    count.current += TRANSCRIPT_WINDOW;
    redraw(undefined);
  };

  useEffect(() => {
    const onScroll = () => {
      pinned.current = scrollBottom() >= pageHeight() - PINNED_PX;
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);

  // Reaching the top draws the earlier items.
  const more = useRef(earlier);
  more.current = earlier;
  useEffect(() => {
    const el = top.current;
    if (!el || typeof IntersectionObserver !== "function") return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !pinned.current) more.current();
    });
    io.observe(el);
    return () => io.disconnect();
    // A new observer per drawn window: its first report is the current state. One kept across windows missed a
    // top reached again before the browser had seen it leave (a quick flick up after earlier items were drawn).
  }, [start]);

  const last = items[items.length - 1];
  useLayoutEffect(() => {
    if (keep.current !== null) {
      window.scrollTo(0, pageHeight() - keep.current);
      keep.current = null;
    } else if (pinned.current) window.scrollTo(0, pageHeight());
  }, [items.length, last, start]);

  return (
    <>
      {start > 0 && (
        <div ref={top} class="earlier">
          <button type="button" class="text-btn" data-earlier={start} onClick={earlier}>
            Show earlier messages ({start})
          </button>
        </div>
      )}
      {items.slice(start).map(render)}
    </>
  );
}
