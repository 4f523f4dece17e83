// Invitations and password resets in the browser: an existing account accepts by signing in to
// itself (its password untouched), a revoked link is dead, and a forgotten password is reset with
// a single-use link that ends every session of the account.
import { randomUUID } from "node:crypto";
import { expect, signedInAs, test } from "./fixtures";
import { AuditPage, ForgotPasswordPage, InvitationPage, ResetPasswordPage, SignInPage } from "./pages";
import { accountWithPassword, issuePasswordResetLink } from "./seed";
import { passwordHashOf } from "./stored";

async function userWithPassword(label: string, password: string): Promise<string> {
  const email = `${label}-${randomUUID().slice(0, 8)}@elsewhere.test`;
  await accountWithPassword(email, "Existing Person", password);
  return email;
}

test.describe("the owner's invitations", () => {
  signedInAs("owner");

  test("someone with an account elsewhere signs in to it to accept, and joins without any change to their password", async ({ settings, browser }) => {
    const password = "their own existing password";
    const email = await userWithPassword("existing", password);
    await settings.open("members");
    await settings.invite({ email, role: "compliance" });
    const link = await settings.invitationLink();
    // The same answer as for a new address: a link, never a password.
    await expect(settings.inviteDialog()).not.toContainText(/password:/i);
    await settings.closeInvitation();

    const person = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const personPage = await person.newPage();
    const invitation = new InvitationPage(personPage);
    await invitation.goto(link);
    await invitation.signInToAccept(email, password);
    await expect(personPage).toHaveURL(new URL(link).pathname);
    await invitation.join("Acme Corp");
    await expect(personPage).toHaveURL(/\/acme$/);
    const audit = new AuditPage(personPage);
    await audit.goto();
    await expect(audit.chainVerified()).toBeVisible();
    await person.close();

    expect(await passwordHashOf(email)).toMatch(/^scrypt\$/);
  });

  test("a revoked invitation's link no longer works", async ({ settings, browser }) => {
    const email = `revoked-${randomUUID().slice(0, 8)}@acme.test`;
    await settings.open("members");
    await settings.invite({ email });
    const link = await settings.invitationLink();
    await settings.closeInvitation();

    await settings.revokeInvitation(email);
    await expect(settings.pendingInvitations()).not.toContainText(email);

    const stranger = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const invitation = new InvitationPage(await stranger.newPage());
    await invitation.goto(link);
    await expect(invitation.unusable()).toBeVisible();
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
    const otherSignIn = new SignInPage(otherPage);
    await otherSignIn.goto();
    await otherSignIn.signIn(email, oldPassword);
    await expect(otherPage).toHaveURL(/\/no-access$/);

    const forgotPassword = new ForgotPasswordPage(page);
    for (const address of [email, `nobody-${randomUUID().slice(0, 8)}@nowhere.test`]) {
      await signInPage.goto();
      await signInPage.forgotPassword();
      await expect(forgotPassword.heading()).toBeVisible();
      await forgotPassword.requestResetLink(address);
      await expect(forgotPassword.answer()).toContainText(`If ${address} has an Agentry account with a password, a reset link valid for one hour has been issued.`);
      await expect(forgotPassword.answer()).toContainText("written to the server's log");
    }

    // The link itself went to the server's log; this test has the app issue another, as the form did.
    const token = await issuePasswordResetLink(email);
    const reset = new ResetPasswordPage(page);
    await reset.goto(token);
    await reset.setNewPassword("my brand new password");
    await expect(page).toHaveURL(/\/signin\?reset=done/);
    await expect(signInPage.notice()).toContainText("every session of your account was ended");

    await signInPage.signIn(email, oldPassword);
    await expect(signInPage.error()).toHaveText("Wrong email or password.");
    await signInPage.signIn(email, "my brand new password");
    await expect(page).toHaveURL(/\/no-access$/);

    // The session from before the reset is over.
    await otherPage.reload();
    await expect(otherPage).toHaveURL(/\/signin/);
    await other.close();

    await reset.goto(token);
    await expect(reset.unusable()).toBeVisible();
  });
});
