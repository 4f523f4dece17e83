// Routing: the rules per task type and the model registry.
import type { Locator } from "@playwright/test";
import { ConsolePage } from "./console-page";

export class RoutingPage extends ConsolePage {
  protected readonly section = "routing";

  rules(): Locator {
    return this.page.getByRole("table", { name: "Routing rules" });
  }

  /** The row of the rule for `taskType`. */
  rule(taskType: string): Locator {
    return this.page.getByRole("row").filter({ has: this.page.getByRole("cell", { name: taskType, exact: true }) });
  }

  modelRegistry(): Locator {
    return this.page.getByRole("table", { name: "Model registry" });
  }

  newRuleButton(): Locator {
    return this.page.getByRole("button", { name: "New routing rule" });
  }

  editModelButtons(): Locator {
    return this.page.getByRole("button", { name: /^Edit model/ });
  }
}
