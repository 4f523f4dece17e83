// Policies: the list with its enforced count, and the editor (a form builder or Cedar text).
import type { Locator } from "@playwright/test";
import { ConsolePage } from "./console-page";

export class PoliciesPage extends ConsolePage {
  protected readonly section = "policies";

  /** "<n> enforced of <m>". */
  enforcedSummary(): Locator {
    return this.page.getByText(/\d+ enforced of \d+/);
  }

  agentPolicies(): Locator {
    return this.page.getByRole("table", { name: "Agent policies" });
  }

  async newPolicy(name: string) {
    await this.page.getByRole("button", { name: "New policy" }).click();
    await this.page.getByLabel("Policy name").fill(name);
  }

  editorHeading(): Locator {
    return this.page.getByRole("heading", { name: "New policy" });
  }

  /** A rule from the builder's fields: who it applies to, which action, and its effect. */
  async describeRule(rule: { agent: string; action: "tool" | "llm_call" | string; names: string; effect: "allow" | "deny" | "require_approval" }) {
    await this.page.getByLabel("Who").selectOption("agent");
    await this.page.getByLabel("Agent name").fill(rule.agent);
    await this.page.getByLabel("Action", { exact: true }).selectOption(rule.action);
    await this.page.getByLabel("Names (comma-separated; empty: any)").fill(rule.names);
    await this.page.getByLabel("Effect").selectOption(rule.effect);
  }

  async writeCedar(text: string) {
    await this.page.getByRole("radio", { name: "Cedar text" }).click();
    await this.cedarEditor().fill(text);
  }

  cedarEditor(): Locator {
    return this.page.getByRole("textbox", { name: "Cedar text" });
  }

  problems(): Locator {
    return this.page.getByRole("list", { name: "Problems" });
  }

  valid(): Locator {
    return this.page.getByText("Valid against the schema.");
  }

  notValid(): Locator {
    return this.page.getByText("Not valid: fix the errors above before saving.");
  }

  saveAndEnforceButton(): Locator {
    return this.page.getByRole("button", { name: "Save and enforce" });
  }

  saveAsDraftButton(): Locator {
    return this.page.getByRole("button", { name: "Save as draft" });
  }

  async saveAndEnforce() {
    await this.saveAndEnforceButton().click();
    await this.page.getByRole("dialog", { name: "Enforce this policy?" }).getByRole("button", { name: "Enforce" }).click();
  }
}
