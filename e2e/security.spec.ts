// The console's HTTP hardening, in Chromium against the built app: a nonce-based
// Content-Security-Policy that the console works under without a single violation, no framing,
// HSTS when the request came over HTTPS, request ids, and cross-site state changes refused.
import { DEMO, demoLogin, expect, signedInAs, test } from "./fixtures";

test.describe("as the owner", () => {
  signedInAs("owner");

  test("every console page works under its Content-Security-Policy without one violation", async ({ page, overview, agents, events, budgets, policies, routing, audit, settings }) => {
    // Nine full page loads: more than the default 30 s on a busy two-core machine.
    test.setTimeout(120_000);
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to (load|execute|apply|frame)/i.test(message.text())) violations.push(message.text());
    });
    page.on("pageerror", (error) => violations.push(error.message));

    const response = await overview.goto();
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
    expect(response?.headers()["referrer-policy"]).toBe("same-origin");
    expect(response?.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    // A fresh nonce on every response.
    const again = await overview.goto();
    expect(again?.headers()["content-security-policy"]).not.toBe(csp);

    for (const consolePage of [agents, events, budgets, policies, routing, audit]) {
      await consolePage.goto();
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    }
    await settings.open("members");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    // Hydrated and working: a client-side tab switch and a tRPC query.
    await settings.switchTab("Teams");
    await expect(page.getByRole("table", { name: "Teams" })).toContainText("Finance");
    expect(violations).toEqual([]);
  });

  test("no other site can frame the console", async ({ page, baseURL }) => {
    // An attacker's page (about:blank here) framing the console: the browser shows its error page
    // in the frame instead (the console says frame-ancestors 'none' and X-Frame-Options DENY).
    await page.goto("about:blank");
    await page.setContent(`<iframe title="victim" src="${new URL("/acme", baseURL).toString()}"></iframe>`);
    const frame = () => page.frames().find((candidate) => candidate !== page.mainFrame());
    await expect.poll(() => frame()?.url() ?? "").toMatch(/^chrome-error:/);
    expect(await frame()?.getByRole("heading", { name: "Overview" }).count()).toBe(0);
  });

  test("a state-changing request from another site is refused; from the console itself it goes through", async ({ page, settings }) => {
    await settings.goto();
    const orgName = await settings.orgName().inputValue();
    const refused = await page.request.post("/api/trpc/org.update", {
      headers: { origin: "https://evil.example", "content-type": "application/json" },
      data: { json: { orgId: "00000000-0000-4000-8000-000000000000", name: "Pwned" } },
    });
    expect(refused.status()).toBe(403);
    expect(await refused.json()).toEqual({ error: { code: "forbidden", message: "Cross-site requests may not change anything here." } });

    const fetchedCrossSite = await page.request.post("/api/trpc/org.update", {
      headers: { "sec-fetch-site": "cross-site", "content-type": "application/json" },
      data: { json: { orgId: "00000000-0000-4000-8000-000000000000", name: "Pwned" } },
    });
    expect(fetchedCrossSite.status()).toBe(403);

    const exportFromElsewhere = await page.request.get("/api/orgs/00000000-0000-4000-8000-000000000000/audit/export", { headers: { "sec-fetch-site": "cross-site" } });
    expect(exportFromElsewhere.status()).toBe(403);

    // The browser's own requests carry the console's origin and go through.
    const teamName = `Same-origin ${Date.now()}`;
    await settings.open("teams");
    await settings.createTeam(teamName);
    await expect(settings.team(teamName)).toBeVisible();
    await settings.goto();
    await expect(settings.orgName()).toHaveValue(orgName);
  });
});

test.describe("signed out", () => {
  test("signing in from another site is refused; signing in on the console works", async ({ page, signInPage }) => {
    const login = demoLogin(DEMO.viewer);
    const forged = await page.request.post("/signin", { headers: { origin: "https://evil.example", "next-action": "0" }, form: { email: login.email, password: login.password } });
    expect(forged.status()).toBe(403);

    await signInPage.goto();
    await signInPage.signIn(login.email, login.password);
    await expect(page).toHaveURL(/\/acme$/);
  });

  test("HSTS is sent when the request came over HTTPS (per X-Forwarded-Proto) and not over plain HTTP", async ({ request }) => {
    const plain = await request.get("/signin");
    expect(plain.headers()["strict-transport-security"]).toBeUndefined();
    const behindTls = await request.get("/signin", { headers: { "x-forwarded-proto": "https" } });
    expect(behindTls.headers()["strict-transport-security"]).toBe("max-age=31536000");
    expect(behindTls.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");
  });

  test("the agent API's answers carry a policy that runs nothing", async ({ request }) => {
    const response = await request.get("/api/v1/openapi.json");
    expect(response.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  });
});
