// `npm test`: everything that checks the project, in order: type check, lint, format (Prettier), import boundaries, unit tests, the
// production build, integration tests against a real (embedded) PostgreSQL, tests that run the built
// app as processes (test/integration/processes, on a database of their own), and end-to-end tests in Chromium
// against that build. Every step runs; the run fails if any step failed.
// It ends with one line "N passed, N failed" counting the tests of every runner.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const RESULTS = "test-results";
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

interface Step {
  name: string;
  command: string[];
  env?: Record<string, string>;
  /** The runner's JSON report, for counting tests. */
  count?: () => { passed: number; failed: number } | null;
}

function readJson(path: string): unknown {
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : null;
}

function vitestCount(path: string) {
  return () => {
    const report = readJson(path) as { numPassedTests?: number; numFailedTests?: number } | null;
    return report ? { passed: report.numPassedTests ?? 0, failed: report.numFailedTests ?? 0 } : null;
  };
}

function vitestStep(project: string): Step {
  const output = join(RESULTS, `vitest-${project}.json`);
  return {
    name: `${project} tests`,
    command: ["node_modules/vitest/vitest.mjs", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${output}`],
    count: vitestCount(output),
  };
}

const playwrightReport = join(RESULTS, "playwright.json");
const steps: Step[] = [
  { name: "type check", command: ["node_modules/typescript/bin/tsc", "--noEmit"] },
  { name: "lint", command: ["node_modules/eslint/bin/eslint.js", "--max-warnings", "0", "."] },
  { name: "format", command: ["node_modules/prettier/bin/prettier.cjs", "--check", "."] },
  { name: "import boundaries", command: ["scripts/check-imports.mjs"] },
  vitestStep("unit"),
  { name: "build", command: ["scripts/ensure-build.mjs"] },
  vitestStep("integration"),
  vitestStep("processes"),
  {
    name: "end-to-end tests",
    command: ["node_modules/@playwright/test/cli.js", "test"],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport },
    count: () => {
      const report = readJson(playwrightReport) as { stats?: { expected?: number; unexpected?: number; flaky?: number } } | null;
      if (!report?.stats) return null;
      return { passed: (report.stats.expected ?? 0) + (report.stats.flaky ?? 0), failed: report.stats.unexpected ?? 0 };
    },
  },
];

const summary: { name: string; ok: boolean; seconds: number; counts: { passed: number; failed: number } | null }[] = [];
for (const step of steps) {
  console.log(`\n━━ ${step.name} ━━`);
  const started = Date.now();
  const result = spawnSync(process.execPath, step.command, {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: process.env.CI ? "0" : "1", ...step.env },
  });
  const counts = step.count?.() ?? null;
  // A step fails on a failed test even if its runner exits 0 (a dependency's exit hook once hid failures that way).
  summary.push({ name: step.name, ok: result.status === 0 && (counts?.failed ?? 0) === 0, seconds: (Date.now() - started) / 1000, counts });
}

console.log("\n━━ summary ━━");
for (const step of summary) {
  const counts = step.counts ? ` (${step.counts.passed} passed, ${step.counts.failed} failed)` : "";
  console.log(`${step.ok ? "✓" : "✗"} ${step.name.padEnd(20)} ${step.seconds.toFixed(1).padStart(6)} s${counts}`);
}
const passed = summary.reduce((sum, step) => sum + (step.counts?.passed ?? 0), 0);
const failedTests = summary.reduce((sum, step) => sum + (step.counts?.failed ?? 0), 0);
const failedSteps = summary.filter((step) => !step.ok).length;
// A step that failed without failing a test (type errors, lint, build) still counts as a failure.
console.log(`\n${passed} passed, ${failedTests + (failedTests === 0 ? failedSteps : 0)} failed`);
process.exit(failedSteps > 0 ? 1 : 0);
