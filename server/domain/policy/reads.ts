// What a Cedar statement's conditions read from a request's context. Cedar's answer is a function
// of the request; if two requests agree on everything the statements weighed read (the principal
// and any other entity, the action, the resource, and these context values), Cedar answers them the
// same. The compiled policy set (server/policy/cedar.ts) keys a memo of answers on exactly that, so
// the common case, many calls that differ only in arguments no policy looks at, costs a lookup
// instead of an evaluation. The walk is conservative: a use of `context` it does not recognise
// reads "everything", and such a statement's answers are never memoised.

/** Context attributes read as a whole. */
export const CONTEXT_VALUES = ["hour", "dataClasses", "estimatedCostMicros", "argumentNames"] as const;
export type ContextValue = (typeof CONTEXT_VALUES)[number];
/** Context attributes that are entities whose tags hold the action's arguments. */
export const TAGGED_CONTEXT = ["arguments", "textArguments"] as const;
export type TaggedContext = (typeof TAGGED_CONTEXT)[number];

export interface ContextReads {
  values: Set<ContextValue>;
  /** Per tagged attribute, the tag names read with hasTag/getTag. */
  tags: Map<TaggedContext, Set<string>>;
}

export type Reads = ContextReads | "everything";

export function noReads(): ContextReads {
  return { values: new Set(), tags: new Map() };
}

type Expr = Record<string, unknown>;

const isObject = (value: unknown): value is Expr => typeof value === "object" && value !== null && !Array.isArray(value);

/** `context.<attr>` in the expression tree, or null. */
function contextAttr(expr: unknown): string | null {
  if (!isObject(expr) || !isObject(expr["."])) return null;
  const access = expr["."] as { left?: unknown; attr?: unknown };
  return isObject(access.left) && (access.left as Expr).Var === "context" && typeof access.attr === "string" ? access.attr : null;
}

function literalString(expr: unknown): string | null {
  return isObject(expr) && typeof expr.Value === "string" ? expr.Value : null;
}

/** Adds what `expr` reads to `reads`; returns false when it reads the context in a way not understood. */
function walk(expr: unknown, reads: ContextReads): boolean {
  if (Array.isArray(expr)) return expr.every((item) => walk(item, reads));
  if (!isObject(expr)) return true;
  if (expr.Var === "context") return false; // the whole context, or context used other than `.attr`
  const attr = contextAttr(expr);
  if (attr !== null) {
    if ((CONTEXT_VALUES as readonly string[]).includes(attr)) {
      reads.values.add(attr as ContextValue);
      return true;
    }
    return false; // tagged entities outside hasTag/getTag, or an attribute we do not know
  }
  for (const op of ["hasTag", "getTag"] as const) {
    const call = expr[op];
    if (!isObject(call)) continue;
    const tagged = contextAttr(call.left);
    if (tagged !== null && (TAGGED_CONTEXT as readonly string[]).includes(tagged)) {
      const tag = literalString(call.right);
      if (tag === null) return false; // a computed tag name could be any argument
      const set = reads.tags.get(tagged as TaggedContext) ?? new Set<string>();
      set.add(tag);
      reads.tags.set(tagged as TaggedContext, set);
      return true;
    }
  }
  // Literal values carry no reads; every other node is walked through.
  if ("Value" in expr) return true;
  return Object.values(expr).every((child) => walk(child, reads));
}

/** What a statement's conditions (`when`/`unless` bodies, as Cedar's JSON gives them) read from the context. */
export function conditionReads(conditions: readonly { body: unknown }[]): Reads {
  const reads = noReads();
  for (const condition of conditions) if (!walk(condition.body, reads)) return "everything";
  return reads;
}

/** The union of several statements' reads. */
export function mergeReads(all: readonly Reads[]): Reads {
  const merged = noReads();
  for (const reads of all) {
    if (reads === "everything") return "everything";
    for (const value of reads.values) merged.values.add(value);
    for (const [tagged, tags] of reads.tags) {
      const set = merged.tags.get(tagged) ?? new Set<string>();
      for (const tag of tags) set.add(tag);
      merged.tags.set(tagged, set);
    }
  }
  return merged;
}
