// What an audit entry changed: its before and after side by side, key by key, so a reviewer sees
// at a glance which values moved. Nested objects are flattened to dotted paths; arrays are
// compared whole (a list of tags reads better as one value than as index paths).
import type { JsonValue } from "@/server/domain/audit/canonical-json";

export type DiffKind = "added" | "removed" | "changed" | "unchanged";

export interface DiffRow {
  path: string;
  kind: DiffKind;
  before?: JsonValue;
  after?: JsonValue;
}

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | null | undefined): value is JsonObject {
  return value !== null && value !== undefined && typeof value === "object" && !Array.isArray(value);
}

function flatten(value: JsonValue | null, prefix: string, into: Map<string, JsonValue>): void {
  if (isObject(value)) {
    const keys = Object.keys(value);
    // An empty object is a value of its own, not nothing.
    if (keys.length === 0 && prefix) into.set(prefix, value);
    for (const key of keys) {
      const child = value[key];
      if (child !== undefined) flatten(child, prefix ? `${prefix}.${key}` : key, into);
    }
    return;
  }
  if (value !== null || prefix) into.set(prefix || "(value)", value);
}

/** Same JSON value, regardless of key order. */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  }
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && jsonEqual(a[key], b[key]));
}

export function diffJson(before: JsonValue | null, after: JsonValue | null): DiffRow[] {
  const left = new Map<string, JsonValue>();
  const right = new Map<string, JsonValue>();
  flatten(before, "", left);
  flatten(after, "", right);
  const paths = [...new Set([...left.keys(), ...right.keys()])].sort((a, b) => a.localeCompare(b));
  return paths.map((path): DiffRow => {
    const inBefore = left.has(path);
    const inAfter = right.has(path);
    const b = left.get(path);
    const a = right.get(path);
    if (!inBefore) return { path, kind: "added", after: a };
    if (!inAfter) return { path, kind: "removed", before: b };
    return { path, kind: jsonEqual(b, a) ? "unchanged" : "changed", before: b, after: a };
  });
}

/** A value as a person reads it: strings as JSON (so "" and " " are visible), the rest as JSON. */
export function formatJson(value: JsonValue | undefined): string {
  return value === undefined ? "" : JSON.stringify(value);
}
