import { describe, expect, test } from "vitest";
import { isUuid } from "./uuid";

describe("isUuid", () => {
  test("takes a UUID in either case and nothing around it", () => {
    expect(isUuid("0b7f3e0a-56a4-4c1e-9d0c-3f1f5b8e2a10")).toBe(true);
    expect(isUuid("0B7F3E0A-56A4-4C1E-9D0C-3F1F5B8E2A10")).toBe(true);
    expect(isUuid(" 0b7f3e0a-56a4-4c1e-9d0c-3f1f5b8e2a10")).toBe(false);
    expect(isUuid("0b7f3e0a-56a4-4c1e-9d0c-3f1f5b8e2a10\n")).toBe(false);
    expect(isUuid("0b7f3e0a56a44c1e9d0c3f1f5b8e2a10")).toBe(false);
    expect(isUuid("")).toBe(false);
  });
});
