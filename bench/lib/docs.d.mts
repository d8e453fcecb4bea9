// Types of docs.mjs for the TypeScript tests.
export const DOC: string;
export function writeResultsSection(run: { results: { startedAt: string; seconds: Record<string, number> }; header: string; goals: string; rows: string }, doc?: string): string;
