import { describe, expect, test } from "vitest";
import { decodeEventCursor, encodeEventCursor } from "./event-cursor";

describe("event cursor", () => {
  test("round-trips the timestamp to the millisecond and the id exactly, beyond 2^53", () => {
    const cursor = { ts: new Date("2026-11-25T10:00:00.123Z"), id: 9_007_199_254_740_993n };
    const decoded = decodeEventCursor(encodeEventCursor(cursor));
    expect(decoded?.ts.toISOString()).toBe("2026-11-25T10:00:00.123Z");
    expect(decoded?.id).toBe(9_007_199_254_740_993n);
  });

  test("refuses strings it did not write", () => {
    for (const value of ["", "abc", "1.2.3", "-1.5", "1732528800000", "1732528800000.", ".5", "1732528800000.99999999999999999999", "1e3.1"]) {
      expect(decodeEventCursor(value), value).toBeNull();
    }
  });

  test("refuses an id beyond a bigserial's range", () => {
    expect(decodeEventCursor("1.9223372036854775808")).toBeNull();
    expect(decodeEventCursor("1.9223372036854775807")?.id).toBe(9_223_372_036_854_775_807n);
  });
});
