// The Python client's unit tests (sdk/python/tests: batching, retries that keep ids, Retry-After,
// the SSE parser, directives, approvals, OTLP spans, each against a loopback HTTP server), run by
// `npm test` through the standard library's unittest. A missing python3 fails here, loudly.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const packageDir = fileURLToPath(new URL(".", import.meta.url));

it("passes its unittest suite on python3", () => {
  const run = spawnSync("python3", ["-m", "unittest", "discover", "-s", "tests", "-t", "."], {
    cwd: packageDir,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
  });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}${run.error ? `\n${run.error.message}` : ""}`;
  expect(run.status, output).toBe(0);
  const ran = Number(/Ran (\d+) tests?/.exec(output)?.[1] ?? 0);
  // Discovery that finds nothing also exits 0: make sure the suite was there.
  expect(ran, output).toBeGreaterThanOrEqual(30);
  expect(output).toMatch(/\nOK\s*$/);
}, 150_000);
