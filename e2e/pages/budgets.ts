// Budgets.
import type { Locator } from "@playwright/test";
import { ConsolePage } from "./console-page";

export class BudgetsPage extends ConsolePage {
  protected readonly section = "budgets";

  budgets(): Locator {
    return this.page.getByRole("table", { name: "Budgets" });
  }

  /** The budget row whose name mentions `scope` (an agent's or a team's name). */
  budget(scope: string): Locator {
    return this.budgets().getByRole("row", { name: new RegExp(scope) });
  }
}
