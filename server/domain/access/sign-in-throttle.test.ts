import { describe, expect, test } from "vitest";
import { throttleSignIn, THROTTLE_WINDOW_MS } from "./sign-in-throttle";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
/** `count` failures, one a second, the latest one second ago; oldest first. */
const failures = (count: number) => Array.from({ length: count }, (_, index) => ago((count - index) * 1000));

describe("throttleSignIn", () => {
  test("the first three failures cost nothing", () => {
    for (const count of [0, 1, 2]) expect(throttleSignIn(failures(count), NOW)).toEqual({ kind: "allow", delayMs: 0 });
  });

  test("then each attempt waits twice as long, up to 8 s", () => {
    const delays = [3, 4, 5, 6, 7, 8, 9].map((count) => throttleSignIn(failures(count), NOW));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000].map((delayMs) => ({ kind: "allow", delayMs })));
  });

  test("ten failures in the window lock the address until the oldest leaves the window", () => {
    const list = failures(10); // oldest 10 s ago
    expect(throttleSignIn(list, NOW)).toEqual({ kind: "locked", retryAfterMs: THROTTLE_WINDOW_MS - 10_000 });
  });

  test("with more than ten, the lock lasts until only nine remain", () => {
    const list = [ago(14 * 60_000), ago(13 * 60_000), ...failures(10)];
    // Dropping the two oldest leaves ten; the lock ends when the tenth most recent (10 s ago) expires.
    expect(throttleSignIn(list, NOW)).toEqual({ kind: "locked", retryAfterMs: THROTTLE_WINDOW_MS - 10_000 });
  });

  test("an attempt once the lock has passed is allowed again", () => {
    const list = failures(10);
    const later = new Date(NOW.getTime() + THROTTLE_WINDOW_MS - 10_000);
    expect(throttleSignIn(list, later)).toMatchObject({ kind: "allow" });
  });

  test("failures older than the window do not count", () => {
    const old = Array.from({ length: 20 }, (_, index) => ago(THROTTLE_WINDOW_MS + index * 1000));
    expect(throttleSignIn(old, NOW)).toEqual({ kind: "allow", delayMs: 0 });
    expect(throttleSignIn([...old.reverse(), ...failures(3)], NOW)).toEqual({ kind: "allow", delayMs: 500 });
  });

  test("a lock about to end still asks to wait at least a second", () => {
    const list = Array.from({ length: 10 }, () => ago(THROTTLE_WINDOW_MS - 10));
    expect(throttleSignIn(list, NOW)).toEqual({ kind: "locked", retryAfterMs: 1000 });
  });
});
