// Settings: the organisation's name, its teams, and its members and invitations.
import type { Locator } from "@playwright/test";
import type { Role } from "../../server/domain/access/permissions";
import { ConsolePage } from "./console-page";

export type SettingsTab = "organisation" | "teams" | "members";

export class SettingsPage extends ConsolePage {
  protected readonly section = "settings";

  async open(tab: SettingsTab) {
    return tab === "organisation" ? this.goto() : this.goto({ tab });
  }

  async switchTab(name: "Organisation" | "Teams" | "Members") {
    await this.selectTab(name);
  }

  orgName(): Locator {
    return this.page.getByLabel("Organisation name");
  }

  async createTeam(name: string) {
    await this.page.getByLabel("New team").fill(name);
    await this.page.getByRole("button", { name: "Create team" }).click();
  }

  createTeamButton(): Locator {
    return this.page.getByRole("button", { name: "Create team" });
  }

  team(name: string): Locator {
    return this.page.getByRole("cell", { name, exact: true });
  }

  inviteButton(): Locator {
    return this.page.getByRole("button", { name: "Invite member" });
  }

  inviteDialog(): Locator {
    return this.page.getByRole("dialog", { name: "Invite member" });
  }

  /** Fills in and submits the invitation; the dialog then shows the link (see `invitationLink`). */
  async invite(person: { email: string; role?: Role; teams?: string[] }) {
    await this.inviteButton().click();
    const dialog = this.inviteDialog();
    await dialog.getByLabel("Email").fill(person.email);
    if (person.role) await dialog.getByLabel("Role").selectOption(person.role);
    for (const team of person.teams ?? []) await dialog.getByLabel(team).check();
    await dialog.getByRole("button", { name: "Create invitation link" }).click();
  }

  async invitationLink(): Promise<string> {
    return this.inviteDialog().getByRole("textbox", { name: "Invitation link" }).inputValue();
  }

  async closeInvitation() {
    await this.inviteDialog().getByRole("button", { name: "Done" }).click();
  }

  pendingInvitations(): Locator {
    return this.page.getByRole("table", { name: "Pending invitations" });
  }

  async revokeInvitation(email: string) {
    await this.page.getByRole("button", { name: `Revoke the invitation of ${email}` }).click();
    await this.page.getByRole("dialog", { name: "Revoke invitation" }).getByRole("button", { name: "Revoke invitation" }).click();
  }

  members(): Locator {
    return this.page.getByRole("table", { name: "Members" });
  }

  member(email: string): Locator {
    return this.page.getByRole("row", { name: new RegExp(email) });
  }

  async changeRole(email: string, role: Role) {
    await this.member(email)
      .getByRole("button", { name: `Edit ${email}` })
      .click();
    const edit = this.page.getByRole("dialog", { name: "Edit member" });
    await edit.getByLabel("Role").selectOption(role);
    await edit.getByRole("button", { name: "Save changes" }).click();
  }
}
