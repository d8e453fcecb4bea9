// Types of waits.mjs for the TypeScript tests.
export function waitingFor<T>(label: string | (() => string), promise: Promise<T>): Promise<T>;
export function pendingWaits(): string[];
export function clearWaits(): void;
