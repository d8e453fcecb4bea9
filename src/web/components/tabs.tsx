// The two lists of the first screen: the daemon's sessions and History (every Claude Code session on the computer).
export function Tabs({ current }: { current: "list" | "history" }) {
  return (
    <nav class="tabs" aria-label="Lists">
      <a href="#/" class={current === "list" ? "tab on" : "tab"} aria-current={current === "list" ? "page" : undefined}>
        Sessions
      </a>
      <a href="#/history" class={current === "history" ? "tab on" : "tab"} aria-current={current === "history" ? "page" : undefined}>
        History
      </a>
    </nav>
  );
}
