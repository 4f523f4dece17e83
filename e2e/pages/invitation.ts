// An invitation link, as the person invited sees it: join with a new account, or sign in to an
// existing one to accept.
import type { Locator, Page } from "@playwright/test";
import { SignInPage } from "./sign-in";

export class InvitationPage {
  constructor(readonly page: Page) {}

  /** Opens the link (a full URL or its path). */
  async goto(link: string) {
    await this.page.goto(link.startsWith("/") ? link : new URL(link).pathname);
  }

  heading(name: string): Locator {
    return this.page.getByRole("heading", { name });
  }

  unusable(): Locator {
    return this.heading("This invitation cannot be used");
  }

  async createAccountAndJoin(person: { name: string; password: string }) {
    await this.page.getByLabel("Your name").fill(person.name);
    await this.page.getByLabel("Password", { exact: true }).fill(person.password);
    await this.page.getByLabel("Repeat the password").fill(person.password);
    await this.page.getByRole("button", { name: "Create account and join" }).click();
  }

  /** An existing account: sign in to it first (the link brings the person back here). */
  async signInToAccept(email: string, password: string) {
    await this.page.getByRole("link", { name: "Sign in to accept" }).click();
    await new SignInPage(this.page).signIn(email, password);
  }

  async join(orgName: string) {
    await this.page.getByRole("button", { name: `Join ${orgName}` }).click();
  }
}
