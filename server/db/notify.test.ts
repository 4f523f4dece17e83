import { describe, expect, it } from "vitest";
import { backoffMs, changeConcerns, parseChange } from "./notify";

describe("parseChange", () => {
  it("reads {orgId, kind} and refuses anything else", () => {
    expect(parseChange('{"orgId":"o1","kind":"killswitch"}')).toEqual({ orgId: "o1", kind: "killswitch" });
    expect(parseChange('{"orgId":"o1"}')).toBeNull();
    expect(parseChange("not json")).toBeNull();
    expect(parseChange("null")).toBeNull();
    expect(parseChange(undefined)).toBeNull();
  });
});

describe("changeConcerns", () => {
  it("matches the org (and kinds when given); a reconnect's wildcard matches everything", () => {
    expect(changeConcerns({ orgId: "o1", kind: "policy" }, "o1")).toBe(true);
    expect(changeConcerns({ orgId: "o2", kind: "policy" }, "o1")).toBe(false);
    expect(changeConcerns({ orgId: "o1", kind: "policy" }, "o1", ["killswitch"])).toBe(false);
    expect(changeConcerns({ orgId: "*", kind: "*" }, "o1", ["killswitch"])).toBe(true);
  });
});

describe("backoffMs", () => {
  it("grows exponentially from 100 ms and is capped at 5 s, with jitter in the upper half", () => {
    expect(backoffMs(0, () => 0)).toBe(50);
    expect(backoffMs(0, () => 1)).toBe(100);
    expect(backoffMs(3, () => 1)).toBe(800);
    expect(backoffMs(20, () => 1)).toBe(5000);
    expect(backoffMs(20, () => 0)).toBe(2500);
  });
});
