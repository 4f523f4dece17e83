import fc from "fast-check";
import murmurhash from "murmurhash";
import { describe, expect, test } from "vitest";
import { inCandidate, rolloutBucket, versionForUnit, type AgentVersionFacts } from "./assign";

const stable = { id: "11111111-1111-4111-8111-111111111111", label: "2.1.0", status: "released" as const };
const candidate = { id: "22222222-2222-4222-8222-222222222222", label: "2.2.0", status: "released" as const };
const facts = (salt: string, percent: number): AgentVersionFacts => ({
  agentId: "agent-1",
  stable,
  rollout: { id: "rollout-1", salt, percent, candidate },
  versions: [stable, candidate],
});

describe("murmur3 (the hash under the assignment)", () => {
  test("matches the MurmurHash3_x86_32 reference vectors", () => {
    // SMHasher's verification vectors as tabulated by Ian Boyd (Stack Overflow 31929528, "MurmurHash3 test vectors").
    const bytes = (...xs: number[]) => new Uint8Array(xs);
    const vectors: [Uint8Array | string, number, number][] = [
      [bytes(), 0, 0],
      [bytes(), 1, 0x514e28b7],
      [bytes(), 0xffffffff, 0x81f16f39],
      [bytes(0xff, 0xff, 0xff, 0xff), 0, 0x76293b50],
      [bytes(0x21, 0x43, 0x65, 0x87), 0, 0xf55b516b],
      [bytes(0x21, 0x43, 0x65, 0x87), 0x5082edee, 0x2362f9de],
      [bytes(0x21, 0x43, 0x65), 0, 0x7e4a8634],
      [bytes(0x21, 0x43), 0, 0xa0f7b07a],
      [bytes(0x21), 0, 0x72661cf4],
      [bytes(0, 0, 0, 0), 0, 0x2362f9de],
      [bytes(0, 0, 0), 0, 0x85f0b427],
      [bytes(0, 0), 0, 0x30f4c306],
      [bytes(0), 0, 0x514e28b7],
      ["Hello, world!", 0x9747b28c, 0x24884cba],
      ["ππππππππ", 0x9747b28c, 0xd58063c1], // UTF-8 bytes
      ["The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2fa826cd],
    ];
    for (const [input, seed, expected] of vectors) expect(murmurhash.v3(input, seed)).toBe(expected);
  });

  test("normalises like Unleash's stickiness, so the same salt and id land in the same bucket", () => {
    // unleash-client-java StrategyUtilsTest: "normalized values are the same across node, java and go
    // clients": getNormalizedNumber("123", "gr1") = 73, ("999", "groupX") = 25.
    expect(rolloutBucket("gr1", "123")).toBe(73);
    expect(rolloutBucket("groupX", "999")).toBe(25);
  });
});

describe("assignment", () => {
  const salt = fc.string({ minLength: 1, maxLength: 40 });
  const unit = fc.string({ minLength: 1, maxLength: 80 });

  test("buckets are 1..100 and the same on every call", () => {
    fc.assert(
      fc.property(salt, unit, (s, u) => {
        const bucket = rolloutBucket(s, u);
        expect(Number.isInteger(bucket)).toBe(true);
        expect(bucket).toBeGreaterThanOrEqual(1);
        expect(bucket).toBeLessThanOrEqual(100);
        expect(rolloutBucket(s, u)).toBe(bucket);
        expect(versionForUnit(facts(s, 37), u)).toEqual(versionForUnit(facts(s, 37), u));
      }),
    );
  });

  test("monotone across stages: raising the percent only adds units, lowering keeps those still inside", () => {
    fc.assert(
      fc.property(salt, unit, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (s, u, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        if (inCandidate(s, u, low)) expect(inCandidate(s, u, high)).toBe(true);
        if (!inCandidate(s, u, high)) expect(inCandidate(s, u, low)).toBe(false);
        expect(inCandidate(s, u, 0)).toBe(false);
        expect(inCandidate(s, u, 100)).toBe(true);
      }),
    );
  });

  test("over 10,000 instance ids the candidate's share is within ±2 points of the stage's percent", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `ticket-router-${i}`);
    fc.assert(
      fc.property(salt, fc.constantFrom(1, 5, 10, 25, 50, 75, 90, 100), (s, percent) => {
        const inside = ids.filter((id) => inCandidate(s, id, percent)).length;
        expect(Math.abs((100 * inside) / ids.length - percent)).toBeLessThanOrEqual(2);
      }),
      { numRuns: 25 },
    );
  });

  test("a pause, a resume or a restart changes nothing: the answer depends only on the salt and the unit", () => {
    fc.assert(
      fc.property(salt, fc.array(unit, { minLength: 1, maxLength: 50 }), fc.integer({ min: 1, max: 99 }), (s, units, percent) => {
        const running = facts(s, percent);
        // A restart: the facts reloaded from storage (JSON), under another rollout row id, paused at the same stage.
        const reloaded = JSON.parse(JSON.stringify({ ...running, rollout: { ...running.rollout, id: "rollout-after-restart" } })) as AgentVersionFacts;
        for (const u of units) expect(versionForUnit(reloaded, u)).toEqual(versionForUnit(running, u));
      }),
    );
  });

  test("no rollout, no unit or no versions: the stable version, or nothing", () => {
    expect(versionForUnit(null, "i-1")).toBeNull();
    expect(versionForUnit({ agentId: "a", stable: null, rollout: null, versions: [] }, "i-1")).toBeNull();
    expect(versionForUnit({ ...facts("s", 100), rollout: null }, "i-1")).toEqual(stable);
    // Without a unit there is nothing to stick to: the stable version, even at 100 %.
    expect(versionForUnit(facts("s", 100), null)).toEqual(stable);
    expect(versionForUnit(facts("s", 100), "i-1")).toEqual(candidate);
  });
});
