import { defineConfig, devices } from "@playwright/test";

// End-to-end tests run the built app (`npm start`'s server) on a fresh data folder with the demo
// org, in Debian's Chromium (Playwright cannot download browsers here).
// E2E_BASE_URL (with E2E_DATA_DIR) points the specs at a server that is already running, such as
// `npm run dev`, instead of starting the build.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_DATA_DIR = process.env.E2E_DATA_DIR ?? ".data-e2e";
const externalServer = process.env.E2E_BASE_URL;

const chromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: externalServer ?? `http://localhost:${E2E_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    timezoneId: "Europe/Berlin",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined }, dependencies: ["setup"] },
  ],
  webServer: externalServer
    ? undefined
    : {
        command: "node --import tsx e2e/server.ts",
        url: `http://localhost:${E2E_PORT}/signin`,
        timeout: 120_000,
        reuseExistingServer: false,
        stdout: "pipe",
        stderr: "pipe",
        env: { PORT: String(E2E_PORT), AGENTRY_DATA_DIR: E2E_DATA_DIR, AGENTRY_DEMO: "on", NEXT_TELEMETRY_DISABLED: "1" },
      },
});
