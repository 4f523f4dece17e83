// Loop detection, pure: which calls count as "the same call", how many in what window make a loop,
// and when an agent's spend rate is far above its own baseline.
import { createHash } from "node:crypto";
import { canonicalJson } from "../audit/canonical-json";

/** The same tool call this many times … */
export const DEFAULT_LOOP_THRESHOLD = 5;
/** … within this many seconds is a loop (per-agent override: Agent.loopThreshold / loopWindowSec). */
export const DEFAULT_LOOP_WINDOW_SEC = 60;
/** Overrides outside these bounds are clamped: a threshold of 1 would halt every agent on its first call. */
export const MIN_LOOP_THRESHOLD = 2;
export const MAX_LOOP_THRESHOLD = 10_000;
export const MIN_LOOP_WINDOW_SEC = 1;
export const MAX_LOOP_WINDOW_SEC = 24 * 60 * 60;

/**
 * "The same call": tool name + sha256 of the canonical JSON of its arguments (key order and
 * whitespace do not matter). Arguments canonical JSON cannot represent (non-finite numbers, functions)
 * fall back to the tool name alone, as do calls reported without arguments.
 */
export function callHash(tool: string, args: unknown): string {
  let text: string;
  try {
    text = args === undefined ? "" : canonicalJson(args);
  } catch {
    text = "";
  }
  return `${tool}#${createHash("sha256").update(text).digest("hex")}`;
}

export interface LoopSettings {
  threshold: number;
  windowSec: number;
}

export function loopSettings(agent: { loopThreshold: number | null; loopWindowSec: number | null }): LoopSettings {
  const clamp = (value: number | null, fallback: number, min: number, max: number) => (value === null || !Number.isFinite(value) ? fallback : Math.min(max, Math.max(min, Math.round(value))));
  return {
    threshold: clamp(agent.loopThreshold, DEFAULT_LOOP_THRESHOLD, MIN_LOOP_THRESHOLD, MAX_LOOP_THRESHOLD),
    windowSec: clamp(agent.loopWindowSec, DEFAULT_LOOP_WINDOW_SEC, MIN_LOOP_WINDOW_SEC, MAX_LOOP_WINDOW_SEC),
  };
}

/** `count` = calls with this hash within the window, the current one included. */
export function isLooping(count: number, settings: LoopSettings): boolean {
  return count >= settings.threshold;
}

/**
 * The most calls in any window (end − windowUs, end] whose end is a call from `from` on: `times` are
 * the logged calls' times in microseconds, sorted. Two pointers, so linear in the calls.
 */
export function peakCallsInWindow(times: readonly number[], from: number, windowUs: number): number {
  let peak = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    const at = times[end] as number;
    while ((times[start] as number) <= at - windowUs) start++;
    if (at >= from) peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

// Spend rate -----------------------------------------------------------------------------------

/**
 * The recent window compared against the baseline, in whole UTC minutes: the minute that began
 * five minutes ago up to now (spend is summed per minute on ingest, SpendMinute).
 */
export const SPEND_WINDOW_MS = 5 * 60 * 1000;
/**
 * Spend is summed per minute for events at most this old when they arrive: older ones fall outside
 * every window still to be checked (twice the window, for clocks that differ between processes).
 */
export const SPEND_MINUTES_HORIZON_MS = 2 * SPEND_WINDOW_MS;
/** The baseline: the agent's average spend per window over (at most) this many days before the current hour. */
export const BASELINE_DAYS = 7;
/** "Far above": more than this many times the baseline … */
export const SPEND_RATE_MULTIPLIER = 10n;
/**
 * … and more than this in the window (micro-dollars: $5 per 5 minutes, $1,440 a day). Below it a
 * spike is a budget's business, not an emergency stop: a busy hour of an agent with little history
 * (or a compressed simulation) must not halt it for a few dollars. The infamous $47,000 loop ran at
 * about $15 per 5 minutes, three times this.
 */
export const SPEND_RATE_FLOOR_MICROS = 5_000_000n;

export const WINDOWS_PER_HOUR = (60 * 60 * 1000) / SPEND_WINDOW_MS;
const MAX_BASELINE_HOURS = BASELINE_DAYS * 24;

/**
 * How many windows the baseline averages over: the hours the agent has history for (from its first
 * hour within the baseline period up to the current hour), at least one hour, at most BASELINE_DAYS.
 * An agent with two days of history is compared with those two days, not with a week of which five
 * days are "zero".
 */
export function baselineWindows(firstHour: Date | null, currentHour: Date): bigint {
  const hours = firstHour === null ? MAX_BASELINE_HOURS : Math.floor((currentHour.getTime() - firstHour.getTime()) / 3_600_000);
  return BigInt(Math.min(MAX_BASELINE_HOURS, Math.max(1, hours)) * WINDOWS_PER_HOUR);
}

export interface SpendRateVerdict {
  runaway: boolean;
  recentMicros: bigint;
  /** Average spend per window over the baseline period (rounded down). */
  baselineMicros: bigint;
}

/**
 * `baselineTotalMicros` = the agent's spend over the baseline period of `windows` windows. The
 * comparison is exact in integers: recent > 10 × total / windows ⇔ recent × windows > 10 × total.
 */
export function spendRateCheck(recentMicros: bigint, baselineTotalMicros: bigint, windows: bigint): SpendRateVerdict {
  const safeWindows = windows > 0n ? windows : 1n;
  const baselineMicros = baselineTotalMicros / safeWindows;
  const runaway = recentMicros > SPEND_RATE_FLOOR_MICROS && recentMicros * safeWindows > SPEND_RATE_MULTIPLIER * baselineTotalMicros;
  return { runaway, recentMicros, baselineMicros };
}

/** How often one process checks one agent's spend rate after ingest. */
export const SPEND_CHECK_DEBOUNCE_MS = 10_000;

/** Per-key debounce: true when `key` was not let through within `intervalMs` before `nowMs` (and records it). */
export class Debouncer {
  private readonly last = new Map<string, number>();
  constructor(
    private readonly intervalMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  admit(key: string, nowMs: number): boolean {
    const previous = this.last.get(key);
    if (previous !== undefined && nowMs - previous < this.intervalMs) return false;
    if (this.last.size >= this.maxKeys) {
      // Forget entries old enough not to matter, so the map stays bounded in a long-lived process.
      for (const [k, at] of this.last) if (nowMs - at >= this.intervalMs) this.last.delete(k);
    }
    this.last.set(key, nowMs);
    return true;
  }
}
