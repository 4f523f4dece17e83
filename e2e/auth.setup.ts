import { test as setup, expect } from "@playwright/test";
import { DEMO, demoLogin, storageStatePath, type DemoPerson } from "./fixtures";
import { OverviewPage, SignInPage } from "./pages";

// Signs in once as each demo person through the real form and saves the session for the specs.
for (const person of Object.keys(DEMO) as DemoPerson[]) {
  setup(`sign in as ${person}`, async ({ page }) => {
    const login = demoLogin(DEMO[person]);
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.signIn(login.email, login.password);
    await expect(page).toHaveURL(/\/acme$/);
    await expect(new OverviewPage(page).heading("Overview")).toBeVisible();
    await page.context().storageState({ path: storageStatePath(person) });
  });
}
