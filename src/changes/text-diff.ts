// Unified diffs the daemon computes itself (files outside a repository) with jsdiff, and the size cut every diff gets.

/** A unified diff in git's layout (`--- a/path`, `+++ b/path`, 3 lines of context); /dev/null for the side that does not exist. */
export async function textDiff(path: string, before: string, after: string, status: string): Promise<string> {
  if (before === after) return "";
  const { createTwoFilesPatch } = await import("diff"); // lazily: only the Changes view needs it
  const from = status === "added" || before === "" ? "/dev/null" : `a/${path}`;
  const to = status === "deleted" ? "/dev/null" : `b/${path}`;
  const patch = createTwoFilesPatch(from, to, before, after, undefined, undefined, { context: 3 });
  // jsdiff starts with a line of "=" and may leave a tab after the file names; git's layout has neither.
  return patch
    .replace(/^=+\n/, "")
    .replace(/^(---|\+\+\+) (.*?)\t?$/gm, "$1 $2");
}

/** Cuts `text` to at most `maxBytes` bytes of UTF-8, at the end of a line. */
export function truncateDiff(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(text) <= maxBytes) return { text, truncated: false };
  const head = Buffer.from(text).subarray(0, maxBytes).toString("utf8");
  const end = head.lastIndexOf("\n");
  return { text: end >= 0 ? head.slice(0, end + 1) : "", truncated: true };
}
