// One agent's page: its record and instances, and its tabs (versions with rollouts, timeline,
// compliance).
import type { Download, Locator } from "@playwright/test";
import { ConsolePage } from "./console-page";

export type AgentTab = "overview" | "versions" | "timeline" | "compliance";

export class AgentPage extends ConsolePage {
  protected readonly section: string;

  constructor(
    page: ConsolePage["page"],
    readonly agentId: string,
    org = "acme",
  ) {
    super(page, org);
    this.section = `agents/${agentId}`;
  }

  async open(tab?: AgentTab) {
    return this.goto(tab ? { tab } : {});
  }

  async switchTab(name: "Overview" | "Versions" | "Timeline" | "Compliance") {
    await this.selectTab(name);
  }

  instances(agentName: string): Locator {
    return this.page.getByRole("table", { name: `Instances of ${agentName}` });
  }

  haltedNotice(): Locator {
    return this.page.getByRole("alert").filter({ hasText: "Halted by a kill switch" });
  }

  // Versions.

  versions(agentName: string): Locator {
    return this.page.getByRole("table", { name: `Versions of ${agentName}` });
  }

  noVersions(): Locator {
    return this.page.getByText("No versions yet");
  }

  version(agentName: string, label: string): Locator {
    return this.versions(agentName).getByRole("row", { name: new RegExp(label.replaceAll(".", "\\.")) });
  }

  /** A draft: `systemPrompt` replaces the prompt it starts from; `appendToPrompt` types at its end. */
  async createVersion(version: { label: string; systemPrompt?: string; appendToPrompt?: string }) {
    // The empty state has a second "New version" button: either opens the same dialog.
    await this.page.getByRole("button", { name: "New version" }).first().click();
    const dialog = this.page.getByRole("dialog", { name: "New version" });
    await dialog.getByLabel("Label").fill(version.label);
    if (version.systemPrompt !== undefined) await dialog.getByLabel("System prompt").fill(version.systemPrompt);
    if (version.appendToPrompt) {
      await dialog.getByLabel("System prompt").press("End");
      await dialog.getByLabel("System prompt").pressSequentially(version.appendToPrompt);
    }
    await dialog.getByRole("button", { name: "Create draft" }).click();
    return dialog;
  }

  async release(label: string, reason: string) {
    await this.page.getByRole("button", { name: `Release ${label}` }).click();
    const dialog = this.page.getByRole("dialog", { name: `Release ${label}?` });
    await dialog.getByLabel("Reason").fill(reason);
    await dialog.getByRole("button", { name: "Release", exact: true }).click();
    return dialog;
  }

  /** Retires a version: instances on it are refused by decide and told to move to the stable one. */
  async retire(label: string, reason: string) {
    await this.page.getByRole("button", { name: `Retire ${label}` }).click();
    const dialog = this.page.getByRole("dialog", { name: `Retire ${label}?` });
    await dialog.getByLabel("Reason").fill(reason);
    await dialog.getByRole("button", { name: "Retire", exact: true }).click();
    return dialog;
  }

  /** The side-by-side diff of two versions, chosen by their labels in the pickers. */
  async compare(from: string, to: string) {
    await this.page.getByLabel("From (A)").selectOption({ label: from });
    await this.page.getByLabel("To (B)").selectOption({ label: to });
  }

  changes(from: string, to: string): Locator {
    return this.page.getByRole("region", { name: `Changes from ${from} to ${to}` });
  }

  /** The two versions' metrics on the same traffic window, with the test behind each difference. */
  abComparison(a: string, b: string): Locator {
    return this.page.getByRole("region", { name: `A/B comparison of ${a} and ${b}` });
  }

  async openRolloutForm(): Promise<RolloutForm> {
    await this.page.getByRole("button", { name: "Start a rollout" }).click();
    return new RolloutForm(this.page.getByRole("dialog", { name: "Start a rollout" }));
  }

  releaseLedger(): Locator {
    return this.page.getByRole("list", { name: "Release ledger" });
  }

  // Compliance.

  riskClassHeading(): Locator {
    return this.page.getByRole("heading", { name: "EU AI Act risk class" });
  }

  async openClassification(agentName: string): Promise<Locator> {
    await this.page.getByRole("button", { name: "Classify", exact: true }).click();
    return this.page.getByRole("dialog", { name: `Classify ${agentName}` });
  }

  gaps(): Locator {
    return this.page.getByRole("list", { name: "Controls with a gap or not assessed" });
  }

  async showControlsMet() {
    await this.page.getByText(/controls met — show them/).click();
  }

  controlsMet(): Locator {
    return this.page.getByRole("list", { name: "Controls met" });
  }

  appliesLater(): Locator {
    return this.page.getByRole("region", { name: "Applies later" });
  }

  async reevaluate() {
    await this.page.getByRole("button", { name: "Re-evaluate now" }).click();
  }

  /** Opens an incident; `serious` makes it an Art. 73 serious incident of that kind. */
  async openIncident(incident: { title: string; severity: string; serious?: string }): Promise<Locator> {
    await this.page.getByRole("button", { name: "Open incident" }).click();
    const dialog = this.page.getByRole("dialog", { name: "Open an incident" });
    await dialog.getByLabel("Title").fill(incident.title);
    await dialog.getByLabel("Severity").selectOption(incident.severity);
    if (incident.serious) {
      await dialog.getByLabel(/This is a serious incident/).check();
      await dialog.getByLabel("Which kind (sets the reporting clock)").selectOption(incident.serious);
    }
    await dialog.getByRole("button", { name: "Open incident" }).click();
    return dialog;
  }

  incident(title: string): Locator {
    return this.page.getByRole("listitem", { name: `Incident: ${title}` });
  }

  async downloadEvidencePack(): Promise<Download> {
    const downloading = this.page.waitForEvent("download");
    await this.page.getByRole("button", { name: "Download evidence pack (.zip)" }).click();
    return downloading;
  }
}

/** The dialog that starts a rollout of a released candidate version. */
export class RolloutForm {
  constructor(readonly dialog: Locator) {}

  async candidate(label: string) {
    await this.dialog.getByLabel("Candidate version").selectOption({ label });
  }

  async removeStage(stage: number) {
    await this.dialog.getByRole("button", { name: `Remove stage ${stage}` }).click();
  }

  async stage(stage: number, settings: { percent: string; dwellMinutes: string; samples: string }) {
    await this.dialog.getByLabel(`Stage ${stage} percent`).fill(settings.percent);
    await this.dialog.getByLabel(`Stage ${stage} minimum dwell in minutes`).fill(settings.dwellMinutes);
    await this.dialog.getByLabel(`Stage ${stage} minimum samples`).fill(settings.samples);
  }

  async withoutGuard(name: RegExp) {
    await this.dialog.getByRole("checkbox", { name }).uncheck();
  }

  async onBreach(action: "pause" | "rollback") {
    await this.dialog.getByLabel("On a breach").selectOption(action);
  }

  async reason(text: string) {
    await this.dialog.getByLabel("Reason").fill(text);
  }

  async start() {
    await this.dialog.getByRole("button", { name: "Start rollout" }).click();
  }

  error(): Locator {
    return this.dialog.getByRole("alert");
  }
}
