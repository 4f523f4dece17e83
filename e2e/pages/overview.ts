// The overview: the month's spend, top spenders, compliance posture and anomalies.
import type { Locator } from "@playwright/test";
import { ConsolePage } from "./console-page";

export class OverviewPage extends ConsolePage {
  protected readonly section = "";

  topSpenders(): Locator {
    return this.page.getByRole("table", { name: "Top spenders this month" });
  }

  /** A figure that links to the page behind it, named "<label>: <n>" (e.g. "Open gaps: 3"). */
  figureLink(label: string): Locator {
    return this.page.getByRole("link", { name: new RegExp(`^${label}: \\d+$`) });
  }

  /** The figure's number, read from its link's accessible name. */
  async figure(label: string): Promise<number> {
    return Number((await this.figureLink(label).getAttribute("aria-label"))?.split(": ")[1]);
  }

  anomaliesLink(): Locator {
    return this.page.getByRole("link", { name: /^All anomalies \(\d+\)$/ });
  }

  async anomalyCount(): Promise<number> {
    return Number(/\((\d+)\)/.exec((await this.anomaliesLink().getAttribute("aria-label")) ?? "")?.[1]);
  }
}
