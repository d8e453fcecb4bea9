// Types of bound.mjs for the TypeScript tests.
export function benchProcesses(): number[];
export function withinBound<T>(name: string, seconds: number, run: () => Promise<T>): Promise<T>;
export function reapLeftovers(graceMs?: number): Promise<string[]>;
