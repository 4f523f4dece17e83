// `npm run simulate` flags, parsed and checked (pure, unit-tested).
import { parseArgs } from "node:util";

export interface SimulateArgs {
  /** Events per second, whole fleet. */
  rate: number;
  /** Seconds to run; 0 runs until Ctrl-C. */
  duration: number;
  url?: string;
  agents?: string[];
  scenario: string;
  seed: number;
  /** Seconds between one instance's heartbeats. */
  heartbeatSeconds: number;
}

export const USAGE = `Usage: npm run simulate -- [--rate <events/s>] [--duration <s>] [--url <http://localhost:3000>]
                            [--agents a,b,c] [--scenario <name>] [--seed <n>] [--heartbeat <s>]
  --rate       events per second across the fleet (default 20)
  --duration   seconds to run, 0 = until Ctrl-C (default 60)
  --url        the app (default: "url" from <AGENTRY_DATA_DIR or .data>/demo.json); loopback only
  --agents     only these agents (comma-separated names)
  --scenario   traffic scenario (default "normal")
  --seed       PRNG seed, for a repeatable run (default: random)
  --heartbeat  seconds between heartbeats per instance (default 10)`;

function positiveNumber(name: string, value: string | undefined, fallback: number, { allowZero = false, max = Infinity } = {}): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0 || (!allowZero && number === 0) || number > max) {
    throw new Error(`--${name} must be a ${allowZero ? "non-negative" : "positive"} number${Number.isFinite(max) ? ` up to ${max}` : ""}, got "${value}"`);
  }
  return number;
}

export function parseSimulateArgs(argv: string[], randomSeed: () => number = () => Math.floor(Math.random() * 2 ** 31)): SimulateArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      rate: { type: "string" },
      duration: { type: "string" },
      url: { type: "string" },
      agents: { type: "string" },
      scenario: { type: "string" },
      seed: { type: "string" },
      heartbeat: { type: "string" },
    },
  });
  const agents = values.agents
    ?.split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  return {
    rate: positiveNumber("rate", values.rate, 20, { max: 50_000 }),
    duration: positiveNumber("duration", values.duration, 60, { allowZero: true }),
    ...(values.url ? { url: values.url } : {}),
    ...(agents && agents.length > 0 ? { agents } : {}),
    scenario: values.scenario ?? "normal",
    seed: values.seed === undefined ? randomSeed() : Math.floor(positiveNumber("seed", values.seed, 0, { allowZero: true })),
    heartbeatSeconds: positiveNumber("heartbeat", values.heartbeat, 10, { max: 3600 }),
  };
}

/** The simulator sends traffic only to this machine. */
export function assertLoopback(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--url must be a URL such as http://localhost:3000, got "${url}"`);
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  if (!loopback || !/^https?:$/.test(parsed.protocol)) throw new Error(`The simulator only talks to this machine (localhost, 127.0.0.0/8, ::1); refusing ${url}`);
  return parsed;
}
