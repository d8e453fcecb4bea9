// The nesting-depth cap on every input (REST bodies, query, WS frames): how deep, and where a value first goes deeper. No zod.

/** Deepest nesting of objects and arrays any input may have (a 20 000-level value would hang a turn). */
export const MAX_INPUT_DEPTH = 64;

/**
 * The path (keys and indexes) to the first object or array nested deeper than `max` levels, or null.
 * Iterative, so a value of any depth is checked without growing the stack.
 */
export function pathDeeperThan(value: unknown, max = MAX_INPUT_DEPTH): (string | number)[] | null {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (path.length >= max) return path;
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
    else for (const k of Object.keys(v).reverse()) stack.push({ v: (v as Record<string, unknown>)[k], path: [...path, k] });
  }
  return null;
}
