// Compliance: controls coverage, incidents, anomalies and evidence packs, one tab each.
import type { Locator } from "@playwright/test";
import { ConsolePage } from "./console-page";

export class CompliancePage extends ConsolePage {
  protected readonly section = "compliance";

  async open(tab?: "incidents" | "anomalies" | "evidence") {
    return this.goto(tab ? { tab } : {});
  }

  coverage(): Locator {
    return this.page.getByRole("table", { name: /Coverage of controls by agent/ });
  }

  /** "<n> gaps · <n> not assessed · <n> met". */
  controlsSummary(): Locator {
    return this.page.getByText(/\d+ gaps · \d+ not assessed · \d+ met/);
  }

  async showIncidents(which: "open" | "all" | string) {
    await this.page.getByLabel("Show incidents").selectOption(which);
  }

  incidents(): Locator {
    return this.page.getByRole("list", { name: "Incidents list" });
  }

  anomalies(): Locator {
    return this.page.getByRole("list", { name: "Anomalies list" });
  }

  /** Items of a list, not of the lists inside them. */
  count(list: Locator): Promise<number> {
    return list.locator(":scope > li").count();
  }

  costSpike(agent: string): Locator {
    return this.page.getByRole("listitem", { name: `Anomaly: Cost spike: ${agent}` });
  }

  async openIncidentFromCostSpike(spike: Locator, agent: string) {
    await spike.getByRole("button", { name: `Open an incident for the cost spike of ${agent}` }).click();
    const dialog = this.incidentFromAnomalyDialog();
    await dialog.getByRole("button", { name: "Open incident" }).click();
  }

  incidentFromAnomalyDialog(): Locator {
    return this.page.getByRole("dialog", { name: "Open an incident from this anomaly" });
  }

  async eventsBehindCostSpike(spike: Locator, agent: string) {
    await spike.getByRole("link", { name: `Events behind the cost spike of ${agent}` }).click();
  }

  /** Asks for the evidence pack of a period (UTC days; `until` not included). */
  async downloadEvidenceFor(period: { from: string; until: string }) {
    await this.page.getByLabel("From (UTC day)").fill(period.from);
    await this.page.getByLabel("Until (UTC day, not included)").fill(period.until);
    await this.page.getByRole("button", { name: "Download evidence pack (.zip)" }).click();
  }
}
