// Where tests live. The integration project runs test/integration/*.int.test.ts only, so an
// integration test anywhere else would run in no project at all: this keeps them in one place.
import { globSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** Installed, generated and local-data folders. */
const IGNORED = (path: string) => /^(node_modules|\.next|\.git|\.data[^/]*|test-results)(\/|$)/.test(path);

describe("repository layout", () => {
  it("keeps every integration test directly under test/integration/ (or its processes/ folder)", () => {
    const misplaced = globSync("**/*.int.test.ts", { exclude: IGNORED }).filter((path) => !/^test\/integration\/(processes\/)?[^/]+\.int\.test\.ts$/.test(path));
    expect(misplaced).toEqual([]);
  });
});
