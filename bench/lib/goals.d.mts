// Types of goals.mjs for the TypeScript tests (results as bench/run.mjs collects them).
export function goalRows(results: Record<string, unknown>): string[][];
export function goalTable(results: Record<string, unknown>): string;
