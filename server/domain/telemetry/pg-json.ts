// JSON that PostgreSQL's jsonb accepts, and that is stored as it was validated. Clients can send
// text jsonb refuses or changes: U+0000, which it cannot hold, and lone UTF-16 surrogates, which
// JSON.stringify writes as "\ud800" escapes and Node's UTF-8 turns into U+FFFD. Free-form JSON
// (event attributes, action arguments) is normalised rather than refused, so one odd string does
// not fail a batch: lone surrogates become U+FFFD (String.prototype.toWellFormed) and NUL is
// dropped, the same rule everywhere (server/domain/text/strings.ts refuses both in identifiers).

export function pgSafeText(text: string): string {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  return wellFormed.includes("\u0000") ? wellFormed.replaceAll("\u0000", "") : wellFormed;
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
