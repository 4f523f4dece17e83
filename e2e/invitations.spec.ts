// Invitations and password resets in the browser: an existing account accepts by signing in to
// itself (its password untouched), a revoked link is dead, and a forgotten password is reset with
// a single-use link that ends every session of the account.
import { randomUUID } from "node:crypto";
import { hashPassword } from "../server/auth/password";
import { hashToken } from "../server/domain/invitations/tokens";
import { expect, signedInAs, SignInPage, test, withDatabase } from "./fixtures";

async function userWithPassword(label: string, password: string): Promise<string> {
  const email = `${label}-${randomUUID().slice(0, 8)}@elsewhere.test`;
  const passwordHash = await hashPassword(password);
  await withDatabase((client) => client.query("INSERT INTO users (id, email, name, password_hash) VALUES (gen_random_uuid(), $1, $2, $3)", [email, "Existing Person", passwordHash]));
  return email;
}

test.describe("the owner's invitations", () => {
  signedInAs("owner");

  test("someone with an account elsewhere signs in to it to accept, and joins without any change to their password", async ({ page, browser }) => {
    const password = "their own existing password";
    const email = await userWithPassword("existing", password);
    await page.goto("/acme/settings?tab=members");
    await page.getByRole("button", { name: "Invite member" }).click();
    const dialog = page.getByRole("dialog", { name: "Invite member" });
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByLabel("Role").selectOption("compliance");
    await dialog.getByRole("button", { name: "Create invitation link" }).click();
    const link = new URL(await dialog.getByRole("textbox", { name: "Invitation link" }).inputValue());
    // The same answer as for a new address: a link, never a password.
    await expect(dialog).not.toContainText(/password:/i);
    await dialog.getByRole("button", { name: "Done" }).click();

    const person = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const personPage = await person.newPage();
    await personPage.goto(link.pathname);
    await personPage.getByRole("link", { name: "Sign in to accept" }).click();
    await new SignInPage(personPage).signIn(email, password);
    await expect(personPage).toHaveURL(link.pathname);
    await personPage.getByRole("button", { name: "Join Acme Corp" }).click();
    await expect(personPage).toHaveURL(/\/acme$/);
    await personPage.goto("/acme/audit");
    await expect(personPage.getByText("Chain verified")).toBeVisible();
    await person.close();

    const stored = await withDatabase((client) => client.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE email = $1", [email]));
    expect(stored.rows[0]?.password_hash).toMatch(/^scrypt\$/);
  });

  test("a revoked invitation's link no longer works", async ({ page, browser }) => {
    const email = `revoked-${randomUUID().slice(0, 8)}@acme.test`;
    await page.goto("/acme/settings?tab=members");
    await page.getByRole("button", { name: "Invite member" }).click();
    const dialog = page.getByRole("dialog", { name: "Invite member" });
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByRole("button", { name: "Create invitation link" }).click();
    const link = new URL(await dialog.getByRole("textbox", { name: "Invitation link" }).inputValue());
    await dialog.getByRole("button", { name: "Done" }).click();

    await page.getByRole("button", { name: `Revoke the invitation of ${email}` }).click();
    await page.getByRole("dialog", { name: "Revoke invitation" }).getByRole("button", { name: "Revoke invitation" }).click();
    await expect(page.getByRole("table", { name: "Pending invitations" })).not.toContainText(email);

    const stranger = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(link.pathname);
    await expect(strangerPage.getByRole("heading", { name: "This invitation cannot be used" })).toBeVisible();
    await stranger.close();
  });
});

test.describe("a forgotten password", () => {
  test("the request is answered the same for any address, and the reset link sets a new password once and signs the account out everywhere", async ({ page, browser, signInPage }) => {
    const oldPassword = "the password I forgot";
    const email = await userWithPassword("forgetful", oldPassword);

    // A session from before the reset, in another browser.
    const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const otherPage = await other.newPage();
    await new SignInPage(otherPage).goto();
    await new SignInPage(otherPage).signIn(email, oldPassword);
    await expect(otherPage).toHaveURL(/\/no-access$/);

    for (const address of [email, `nobody-${randomUUID().slice(0, 8)}@nowhere.test`]) {
      await page.goto("/signin");
      await page.getByRole("link", { name: "Forgot your password?" }).click();
      await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
      await page.getByLabel("Email").fill(address);
      await page.getByRole("button", { name: "Request a reset link" }).click();
      await expect(page.getByRole("status")).toContainText(`If ${address} has an Agentry account with a password, a reset link valid for one hour has been issued.`);
      await expect(page.getByRole("status")).toContainText("written to the server's log");
    }

    // The link itself went to the server's log; this test makes its own, as the server would.
    const token = `rst_${Buffer.from(randomUUID().replace(/-/g, "") + randomUUID().replace(/-/g, ""), "hex").toString("base64url").slice(0, 43)}`;
    await withDatabase((client) =>
      client.query("INSERT INTO password_resets (id, user_id, token_hash, expires_at) SELECT gen_random_uuid(), id, $2, now() + interval '1 hour' FROM users WHERE email = $1", [
        email,
        hashToken(token),
      ]),
    );
    await page.goto(`/reset-password/${token}`);
    await page.getByLabel("New password", { exact: true }).fill("my brand new password");
    await page.getByLabel("Repeat the new password").fill("my brand new password");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page).toHaveURL(/\/signin\?reset=done/);
    await expect(page.getByRole("status")).toContainText("every session of your account was ended");

    await signInPage.signIn(email, oldPassword);
    await expect(signInPage.error()).toHaveText("Wrong email or password.");
    await signInPage.signIn(email, "my brand new password");
    await expect(page).toHaveURL(/\/no-access$/);

    // The session from before the reset is over.
    await otherPage.reload();
    await expect(otherPage).toHaveURL(/\/signin/);
    await other.close();

    await page.goto(`/reset-password/${token}`);
    await expect(page.getByRole("heading", { name: "This reset link cannot be used" })).toBeVisible();
  });
});
