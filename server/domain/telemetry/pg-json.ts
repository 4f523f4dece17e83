// JSON that PostgreSQL's jsonb accepts. Clients can send text jsonb refuses (U+0000, and lone
// UTF-16 surrogates, which JSON.stringify writes as "\ud800" escapes): such characters become
// U+FFFD, the replacement character, so one odd string does not fail a whole batch.

const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function pgSafeText(text: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, "\uFFFD") : text;
}

/** A copy of parsed JSON (already depth-limited at the API's entrance) with every string and key made safe. */
export function pgSafeJson(value: unknown): unknown {
  if (typeof value === "string") return pgSafeText(value);
  if (Array.isArray(value)) return value.map(pgSafeJson);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty: "__proto__" stays an ordinary key.
      Object.defineProperty(out, pgSafeText(key), { value: pgSafeJson(item), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
