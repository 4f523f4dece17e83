// The approvals queue: requests waiting for a person's decision (one card each), and the history
// of decided and expired ones.
import type { Locator } from "@playwright/test";
import { ConsolePage } from "./console-page";

export class ApprovalsPage extends ConsolePage {
  protected readonly section = "approvals";

  /** The card of the waiting request that mentions `text` (each test's order id is its own). */
  request(text: string): Locator {
    return this.page.getByRole("article").filter({ hasText: text });
  }

  approveButton(text: string): Locator {
    return this.request(text).getByRole("button", { name: "Approve" });
  }

  async approve(text: string, note?: string) {
    if (note !== undefined) await this.request(text).getByLabel(/Note/).fill(note);
    await this.approveButton(text).click();
  }

  async deny(text: string, note?: string) {
    if (note !== undefined) await this.request(text).getByLabel(/Note/).fill(note);
    await this.request(text).getByRole("button", { name: "Deny" }).click();
  }

  queueHeading(): Locator {
    return this.page.getByRole("heading", { name: "Waiting for a decision" });
  }

  loading(): Locator {
    return this.page.getByText("Loading the queue");
  }

  async showHistory(outcome: "approved" | "denied" | "expired") {
    await this.page.getByLabel("Outcome").selectOption(outcome);
  }

  history(): Locator {
    return this.page.getByRole("table", { name: "Decided and expired approval requests" });
  }

  /** The history's row that mentions `text`. */
  decided(text: string): Locator {
    return this.page.getByRole("row").filter({ hasText: text });
  }
}
