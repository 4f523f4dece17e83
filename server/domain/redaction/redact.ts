// Redaction of agent telemetry before it is stored (docs/agent-api.md, "Redaction"): sensitive values in
// free-form event attributes become typed placeholders such as "[REDACTED:EMAIL]". Runs on every
// ingested event, so it is built for speed: precompiled linear-time regexes (detectors.ts), cheap
// pre-checks that skip detectors which cannot match, and no work at all on short strings.
import { DETECTORS_IN_ORDER, isCardNumber, PLACEHOLDER, shapeOf, tally } from "./detectors";

export const REDACTION_DETECTORS = ["email", "phone", "card", "iban", "ssn", "bearer", "api_key", "jwt"] as const;
export type RedactionDetector = (typeof REDACTION_DETECTORS)[number];
export const DEFAULT_REDACTION_DETECTORS: readonly RedactionDetector[] = REDACTION_DETECTORS;

/** Nothing any detector finds is shorter than this ("a@b.co"). */
const MIN_MATCH_LENGTH = 6;

function redactPass(text: string, detectors: ReadonlySet<RedactionDetector>): { text: string; count: number } {
  // Taken once: replacements only remove characters and add placeholders (capitals, no digits), so
  // a detector ruled out by the original's shape stays ruled out after earlier detectors ran.
  const shape = shapeOf(text);
  let current = text;
  let count = 0;
  for (const detector of DETECTORS_IN_ORDER) {
    if (!detectors.has(detector.name) || !detector.mayMatch(current, shape)) continue;
    tally.count = 0;
    current = current.replace(detector.pattern, detector.replace);
    count += tally.count;
  }
  return { text: current, count };
}

/** Replaces every sensitive value found in `text` by its placeholder; counts what it replaced. */
export function redactText(text: string, detectors: ReadonlySet<RedactionDetector>): { text: string; count: number } {
  if (text.length < MIN_MATCH_LENGTH || detectors.size === 0) return { text, count: 0 };
  // Repeat until nothing changes. A placeholder can sit where a redacted value's neighbour used to
  // block a match (e.g. a digit run next to a card), and one more pass is what makes redacting
  // idempotent: stored text never holds something a re-run would still redact. Terminates because
  // every replacement consumes original characters and placeholders are never matched.
  let total = 0;
  let current = text;
  for (;;) {
    const pass = redactPass(current, detectors);
    if (pass.count === 0) return { text: current, count: total };
    total += pass.count;
    current = pass.text;
  }
}

/**
 * A JSON number that is a card number (an integer of 13-19 digits passing Luhn with a card
 * network's first digit) becomes the card placeholder, a string: agents do send card numbers as
 * numbers. No other number is touched; epoch timestamps, ids and amounts stay numbers.
 */
function isCardValued(value: number | bigint): boolean {
  if (typeof value === "number" && (!Number.isInteger(value) || value < 1e12 || value >= 1e21)) return false;
  return isCardNumber(value.toString());
}

type Container = unknown[] | Record<string, unknown>;

/** Arrays and plain objects are walked; anything else (Dates, class instances) is a leaf. */
function asContainer(value: unknown): Container | null {
  if (typeof value !== "object" || value === null) return null;
  if (Array.isArray(value)) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null ? (value as Record<string, unknown>) : null;
}

function emptyLike(value: Container): Container {
  return Array.isArray(value) ? new Array<unknown>(value.length) : {};
}

function put(target: Container, key: string | number, item: unknown): void {
  if (Array.isArray(target)) {
    target[key as number] = item;
  } else if (key === "__proto__") {
    // Plain assignment would set the prototype; a JSON key "__proto__" must stay a key.
    Object.defineProperty(target, key, { value: item, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = item;
  }
}

interface Frame {
  source: Container;
  target: Container;
  /** null for arrays, which are walked by index. */
  keys: readonly string[] | null;
  size: number;
  next: number;
}

function frameOf(source: Container, target: Container): Frame {
  if (Array.isArray(source)) return { source, target, keys: null, size: source.length, next: 0 };
  const keys = Object.keys(source);
  return { source, target, keys, size: keys.length, next: 0 };
}

/** Leaf results of the walk in progress (redactJson is synchronous, so one shared cell is safe). */
const walk = { count: 0 };

function redactLeaf(item: unknown, detectors: ReadonlySet<RedactionDetector>): unknown {
  if (typeof item === "string") {
    const result = redactText(item, detectors);
    walk.count += result.count;
    return result.text;
  }
  if ((typeof item === "number" || typeof item === "bigint") && detectors.has("card") && isCardValued(item)) {
    walk.count++;
    return PLACEHOLDER.card;
  }
  return item;
}

/**
 * Walks any JSON value (objects, arrays, strings; keys are left alone, numbers too except card
 * numbers, see isCardValued) and redacts its strings. Returns a new value; never mutates the
 * input. Objects that are not plain (Dates, class instances) and other primitives are kept as they
 * are; a cyclic value throws a TypeError, as JSON.stringify does. Iterative, so a deeply nested
 * payload cannot overflow the stack.
 */
export function redactJson(value: unknown, detectors: ReadonlySet<RedactionDetector>): { value: unknown; count: number } {
  walk.count = 0;
  const root = asContainer(value);
  if (root === null) {
    const leaf = redactLeaf(value, detectors);
    return { value: leaf, count: walk.count };
  }
  const rootTarget = emptyLike(root);
  // The containers on the current path: a cycle (never in parsed JSON) would otherwise loop forever.
  const onPath = new Set<Container>([root]);
  const stack: Frame[] = [frameOf(root, rootTarget)];
  let frame = stack[0];
  while (frame !== undefined) {
    if (frame.next >= frame.size) {
      onPath.delete(frame.source);
      stack.pop();
      frame = stack[stack.length - 1];
      continue;
    }
    const index = frame.next++;
    const key: string | number = frame.keys === null ? index : (frame.keys[index] ?? "");
    const item = (frame.source as Record<string | number, unknown>)[key];
    const child = asContainer(item);
    if (child === null) {
      put(frame.target, key, redactLeaf(item, detectors));
    } else {
      if (onPath.has(child)) throw new TypeError("redactJson cannot walk a cyclic value");
      onPath.add(child);
      const childTarget = emptyLike(child);
      put(frame.target, key, childTarget);
      frame = frameOf(child, childTarget);
      stack.push(frame);
    }
  }
  return { value: rootTarget, count: walk.count };
}
