// The audit log: its chain verification, its entries (filtered by action) and the NDJSON export.
import type { Locator } from "@playwright/test";
import { ConsolePage } from "./console-page";

export class AuditPage extends ConsolePage {
  protected readonly section = "audit";

  /** Opens the log, filtered to one action (other specs write to the same log at the same time). */
  async open(action?: string) {
    return this.goto(action ? { action } : {});
  }

  chainVerified(): Locator {
    return this.page.getByText("Chain verified");
  }

  entries(): Locator {
    return this.page.getByRole("table");
  }

  entry(text: string): Locator {
    return this.entries().getByRole("row").filter({ hasText: text });
  }

  noEntries(): Locator {
    return this.page.getByText("No entries match these filters");
  }

  /** Downloads the export and answers the downloaded file's path. */
  async exportNdjson(): Promise<string> {
    const download = this.page.waitForEvent("download");
    await this.page.getByRole("link", { name: "Export NDJSON" }).click();
    return (await download).path();
  }
}
