// The history room: Claude Code's own transcripts on disk (every session of this computer, terminal ones too).
export { createHistory, type History, type HistoryEntry, type HistoryOptions, type CompanionSessions } from "./history.js";
export { type TranscriptFeed, type FeedRecord } from "./transcript-feed.js";
export { resumeCommand, shellQuote } from "./paths.js";
