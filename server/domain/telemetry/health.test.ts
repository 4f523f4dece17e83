import { describe, expect, it } from "vitest";
import { agentHealth } from "./health";

const now = new Date("2026-11-25T12:00:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe("agentHealth", () => {
  it("is healthy while any instance beat within three intervals, stale after", () => {
    expect(agentHealth({ lastHeartbeats: [ago(89)], heartbeatIntervalSec: 30, halted: false, now })).toBe("healthy");
    expect(agentHealth({ lastHeartbeats: [ago(91)], heartbeatIntervalSec: 30, halted: false, now })).toBe("stale");
    expect(agentHealth({ lastHeartbeats: [ago(500), ago(10)], heartbeatIntervalSec: 30, halted: false, now })).toBe("healthy");
  });

  it("is halted whatever the heartbeats say, and unknown before the first one", () => {
    expect(agentHealth({ lastHeartbeats: [ago(1)], heartbeatIntervalSec: 30, halted: true, now })).toBe("halted");
    expect(agentHealth({ lastHeartbeats: [], heartbeatIntervalSec: 30, halted: false, now })).toBe("unknown");
  });
});
