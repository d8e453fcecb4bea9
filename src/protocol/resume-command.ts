// The `resumeCommand` format (GET /api/history, the phone's hand-over notice): `cd <dir> && claude --resume <id>`. Pure.

/** POSIX shell quoting: safe words stay bare, anything else goes in single quotes. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command that continues a session in a terminal: `cd <dir> && claude --resume <id>`. */
export function resumeCommand(dir: string, sessionId: string): string {
  return `cd ${shellQuote(dir)} && claude --resume ${sessionId}`;
}
