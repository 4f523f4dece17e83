import { describe, expect, it } from "vitest";
import { diffJson, formatJson, jsonEqual } from "./diff";

describe("diffJson", () => {
  it("marks the keys that changed and leaves the rest as unchanged", () => {
    expect(diffJson({ name: "Finance", limitUsd: 100 }, { name: "Finance", limitUsd: 250 })).toEqual([
      { path: "limitUsd", kind: "changed", before: 100, after: 250 },
      { path: "name", kind: "unchanged", before: "Finance", after: "Finance" },
    ]);
  });

  it("shows a creation as added keys and a deletion as removed keys", () => {
    expect(diffJson(null, { name: "IT" })).toEqual([{ path: "name", kind: "added", after: "IT" }]);
    expect(diffJson({ name: "IT" }, null)).toEqual([{ path: "name", kind: "removed", before: "IT" }]);
    expect(diffJson(null, null)).toEqual([]);
  });

  it("flattens nested objects to dotted paths and compares arrays whole", () => {
    const rows = diffJson({ policy: { effect: "deny", tools: ["a", "b"] } }, { policy: { effect: "deny", tools: ["a"] }, note: null });
    expect(rows).toEqual([
      { path: "note", kind: "added", after: null },
      { path: "policy.effect", kind: "unchanged", before: "deny", after: "deny" },
      { path: "policy.tools", kind: "changed", before: ["a", "b"], after: ["a"] },
    ]);
  });

  it("tells a value set to null from a value removed", () => {
    expect(diffJson({ reason: "x" }, { reason: null })).toEqual([{ path: "reason", kind: "changed", before: "x", after: null }]);
  });

  it("handles entries whose before or after is a plain value", () => {
    expect(diffJson("draft", "active")).toEqual([{ path: "(value)", kind: "changed", before: "draft", after: "active" }]);
  });
});

describe("jsonEqual and formatJson", () => {
  it("ignores key order but not values", () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
  });

  it("keeps empty and blank strings visible", () => {
    expect(formatJson("")).toBe('""');
    expect(formatJson({ a: 1 })).toBe('{"a":1}');
  });
});
