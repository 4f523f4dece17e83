// Kill switches: the form that engages one (typed confirmation of the target's name), the engaged
// ones with their acknowledgements, and the released ones.
import type { Locator } from "@playwright/test";
import { ConsolePage } from "./console-page";

export class KillSwitchesPage extends ConsolePage {
  protected readonly section = "kill-switches";

  /** Fills in what to stop and why; the switch is engaged by `confirm` and `engageButton`. */
  async prepare(kill: { scope: string; reason: string }) {
    await this.page.getByLabel("Scope").selectOption({ label: kill.scope });
    await this.page.getByLabel("Reason").fill(kill.reason);
  }

  async confirm(targetName: string) {
    await this.page.getByLabel("Type the target's name to confirm").fill(targetName);
  }

  engageButton(): Locator {
    return this.page.getByRole("button", { name: "Engage kill switch" });
  }

  /** Engages a kill switch on `scope`, typing `target` (its name) to confirm. */
  async engage(kill: { scope: string; target: string; reason: string }) {
    await this.prepare(kill);
    await this.confirm(kill.target);
    await this.engageButton().click();
  }

  target(): Locator {
    return this.page.getByRole("textbox", { name: "Target", exact: true });
  }

  engagedHeading(): Locator {
    return this.page.getByRole("heading", { name: /^Engaged \(\d+\)$/ });
  }

  /** The engaged switch that mentions `text` (its target or reason). */
  engaged(text: string): Locator {
    return this.page.getByRole("list", { name: "Engaged kill switches" }).getByRole("listitem").filter({ hasText: text });
  }

  acknowledgements(engaged: Locator): Locator {
    return engaged.getByTestId("ack-summary");
  }

  async release(engaged: Locator, why: string) {
    await engaged.getByRole("button", { name: /^Release/ }).click();
    await engaged.getByLabel("Why release it?").fill(why);
    await engaged.getByRole("button", { name: "Release and resume" }).click();
  }

  released(): Locator {
    return this.page.getByRole("table", { name: "Released kill switches" });
  }
}
