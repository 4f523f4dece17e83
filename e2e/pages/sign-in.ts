// Signing in, asking for a password reset, and setting a new password with a reset link.
import type { Locator, Page } from "@playwright/test";

export class SignInPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/signin");
  }

  async signIn(email: string, password: string) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
  }

  error(): Locator {
    return this.page.getByRole("main").getByRole("alert");
  }

  /** The notice above the form (after a password reset, for one). */
  notice(): Locator {
    return this.page.getByRole("status");
  }

  async forgotPassword() {
    await this.page.getByRole("link", { name: "Forgot your password?" }).click();
  }
}

export class ForgotPasswordPage {
  constructor(readonly page: Page) {}

  heading(): Locator {
    return this.page.getByRole("heading", { name: "Forgot your password?" });
  }

  async requestResetLink(email: string) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByRole("button", { name: "Request a reset link" }).click();
  }

  answer(): Locator {
    return this.page.getByRole("status");
  }
}

export class ResetPasswordPage {
  constructor(readonly page: Page) {}

  async goto(token: string) {
    await this.page.goto(`/reset-password/${token}`);
  }

  async setNewPassword(password: string, repeated = password) {
    await this.page.getByLabel("New password", { exact: true }).fill(password);
    await this.page.getByLabel("Repeat the new password").fill(repeated);
    await this.page.getByRole("button", { name: "Set new password" }).click();
  }

  unusable(): Locator {
    return this.page.getByRole("heading", { name: "This reset link cannot be used" });
  }
}

/** Where someone signed in without any membership lands. */
export class NoAccessPage {
  constructor(readonly page: Page) {}

  heading(): Locator {
    return this.page.getByRole("heading", { name: "You are not a member of any organisation" });
  }
}
