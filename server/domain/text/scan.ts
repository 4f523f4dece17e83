// Finds the first string in a parsed request (values and keys, at any depth) that no console
// input may hold: one with an unpaired UTF-16 surrogate (PostgreSQL would store a different
// string than the one checked) or with NUL (PostgreSQL text cannot hold it). Iterative, so a
// deeply nested input cannot exhaust the stack.
import { isWellFormedText, TEXT_MESSAGES } from "./strings";

export interface UnsafeString {
  path: string;
  message: string;
}

function problemOf(value: string): string | null {
  if (!isWellFormedText(value)) return TEXT_MESSAGES.wellFormed;
  if (value.includes("\u0000")) return TEXT_MESSAGES.nul;
  return null;
}

export function findUnsafeString(input: unknown): UnsafeString | null {
  const stack: { value: unknown; path: string }[] = [{ value: input, path: "" }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (typeof value === "string") {
      const message = problemOf(value);
      if (message) return { path: path || "input", message };
      continue;
    }
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: `${path}[${index}]` }));
      continue;
    }
    if (value instanceof Map) {
      for (const [key, item] of value) stack.push({ value: key, path }, { value: item, path });
      continue;
    }
    if (value instanceof Set) {
      for (const item of value) stack.push({ value: item, path });
      continue;
    }
    for (const key of Object.keys(value)) {
      const keyProblem = problemOf(key);
      const at = path ? `${path}.${key}` : key;
      if (keyProblem) return { path: at, message: keyProblem };
      stack.push({ value: (value as Record<string, unknown>)[key], path: at });
    }
  }
  return null;
}
