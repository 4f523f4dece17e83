import { randomUUID } from "node:crypto";
import { DEMO, demoLogin, expect, signedInAs, test } from "./fixtures";
import { NoAccessPage } from "./pages";
import { accountWithPassword, orgOfItsOwn } from "./seed";

test.describe("signing in", () => {
  test("a wrong password gets one clear message that does not say whether the email exists", async ({ page, signInPage }) => {
    await signInPage.goto();
    await signInPage.signIn(DEMO.owner, "not-the-password");
    await expect(signInPage.error()).toHaveText("Wrong email or password.");

    await signInPage.signIn("nobody-here@acme.test", "not-the-password");
    await expect(signInPage.error()).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("signing in lands on the organisation's overview and signing out ends the session", async ({ page, signInPage, overview, audit }) => {
    const login = demoLogin(DEMO.compliance);
    await signInPage.goto();
    await signInPage.signIn(login.email, login.password);
    await expect(page).toHaveURL(/\/acme$/);
    await expect(overview.heading("Overview")).toBeVisible();
    await expect(page.getByText("Compliance", { exact: true }).first()).toBeVisible();

    await overview.signOut();
    await expect(page).toHaveURL(/\/signin/);
    await audit.goto();
    await expect(page).toHaveURL(/\/signin/);
  });

  test("the console is closed to visitors who are not signed in", async ({ page, overview }) => {
    await overview.goto();
    await expect(page).toHaveURL(/\/signin/);
    const response = await page.request.post("/api/trpc/org.update", { data: { json: { orgId: "00000000-0000-4000-8000-000000000000", name: "x" } } });
    expect(response.status()).toBe(401);
  });

  test("someone signed in without a membership is told so", async ({ page, signInPage, overview }) => {
    const email = `no-membership-${Date.now()}@example.test`;
    const password = "a-long-enough-password";
    await accountWithPassword(email, "Nora Nomember", password);
    await signInPage.goto();
    await signInPage.signIn(email, password);
    await expect(page).toHaveURL(/\/no-access$/);
    await expect(new NoAccessPage(page).heading()).toBeVisible();
    await overview.goto();
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});

test.describe("as the owner", () => {
  signedInAs("owner");

  test("unknown pages and organisations answer with a 404 page, not a crash", async ({ page }) => {
    const unknownPage = await page.goto("/acme/no-such-section");
    expect(unknownPage?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

    const unknownOrg = await page.goto("/no-such-org");
    expect(unknownOrg?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });

  test("an agent of another organisation, by its id, is no agent here: a 404 that names nothing of it", async ({ page, agentPage }) => {
    const other = await orgOfItsOwn("elsewhere", "elsewhere-bot");
    for (const agentId of [other.agent.id, randomUUID(), "not-a-uuid"]) {
      const response = await agentPage(agentId).goto();
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "No such agent" })).toBeVisible();
      await expect(page.getByRole("main")).not.toContainText("elsewhere-bot");
    }
  });
});
