// Events, newest first, filtered by the query (type, taskId, agentId).
import type { Locator } from "@playwright/test";
import { ConsolePage } from "./console-page";

export class EventsPage extends ConsolePage {
  protected readonly section = "events";

  events(): Locator {
    return this.page.getByRole("table", { name: /^Events, newest first/ });
  }

  /** The button that opens one event, named by its type and id. */
  eventButton(type: string, eventId: string): Locator {
    return this.events().getByRole("button", { name: `Show ${type} event ${eventId}` });
  }

  eventRow(type: string, eventId: string): Locator {
    return this.events()
      .getByRole("row")
      .filter({ has: this.page.getByRole("button", { name: `Show ${type} event ${eventId}` }) });
  }

  shown(): Locator {
    return this.page.getByText(/^Showing \d+ events?/);
  }
}
