import { describe, expect, it } from "vitest";
import { bearerKey, generateApiKey, hashApiKey, looksLikeApiKey } from "./api-key";

describe("API keys", () => {
  it("are random, shaped, and stored only as a hash", () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(looksLikeApiKey(a.key)).toBe(true);
    expect(a.prefix).toBe(a.key.slice(0, 12));
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(4));
  });

  it("are read from a bearer header and nothing else", () => {
    expect(bearerKey("Bearer agt_abc")).toBe("agt_abc");
    expect(bearerKey("bearer   agt_abc  ")).toBe("agt_abc");
    expect(bearerKey("Basic agt_abc")).toBeNull();
    expect(bearerKey(null)).toBeNull();
    expect(looksLikeApiKey("agt_short")).toBe(false);
  });
});
