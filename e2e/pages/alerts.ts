// Alerts, newest first, with acknowledgement.
import type { Locator } from "@playwright/test";
import { ConsolePage } from "./console-page";

export class AlertsPage extends ConsolePage {
  protected readonly section = "alerts";

  alerts(): Locator {
    return this.page.getByRole("list", { name: "Alerts" });
  }

  /** The alerts that mention `text`, newest first. */
  alert(text: string): Locator {
    return this.page.getByRole("listitem").filter({ hasText: text });
  }

  async acknowledge(alert: Locator) {
    await alert.getByRole("button", { name: /^Acknowledge/ }).click();
  }
}
