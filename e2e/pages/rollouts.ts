// Rollouts: the running ones (a card each, with its stages, guards and instance assignment) and the past ones.
import type { Locator } from "@playwright/test";
import { ConsolePage } from "./console-page";

export class RolloutsPage extends ConsolePage {
  protected readonly section = "rollouts";

  /** The card of the running rollout of `agent` to `version`. */
  rollout(agent: string, version: string): Locator {
    return this.page.getByRole("article", { name: `Rollout of ${agent} ${version}` });
  }

  /** The stage the rollout is in. */
  currentStage(rollout: Locator): Locator {
    return rollout.getByRole("list", { name: "Stages" }).locator("[aria-current=step]");
  }

  guard(rollout: Locator, name: RegExp): Locator {
    return rollout.getByRole("row", { name });
  }

  /** "<n> of <m> assigned to <version>": the instances heard from and those on the candidate. */
  assignment(rollout: Locator, version: string): Locator {
    return rollout.getByText(new RegExp(`^\\d+ of \\d+ assigned to ${version.replaceAll(".", "\\.")}`));
  }

  /** The past rollout of `agent` (completed or rolled back). */
  past(agent: string): Locator {
    return this.page.getByRole("table", { name: "Past rollouts" }).getByRole("row", { name: new RegExp(agent) });
  }
}
