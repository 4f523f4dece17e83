// The agent registry.
import type { Locator } from "@playwright/test";
import { ConsolePage } from "./console-page";

export class AgentsPage extends ConsolePage {
  protected readonly section = "agents";

  registry(): Locator {
    return this.page.getByRole("table", { name: "Agents in the registry" });
  }

  agentLink(name: string): Locator {
    return this.registry().getByRole("link", { name, exact: true });
  }
}
