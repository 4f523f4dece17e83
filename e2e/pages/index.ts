// The console's pages as the end-to-end specs use them (one page object per page).
export { AgentPage, RolloutForm, type AgentTab } from "./agent";
export { AgentsPage } from "./agents";
export { AlertsPage } from "./alerts";
export { ApprovalsPage } from "./approvals";
export { AuditPage } from "./audit";
export { BudgetsPage } from "./budgets";
export { CompliancePage } from "./compliance";
export { ConsolePage } from "./console-page";
export { EventsPage } from "./events";
export { InvitationPage } from "./invitation";
export { KillSwitchesPage } from "./kill-switches";
export { OverviewPage } from "./overview";
export { PoliciesPage } from "./policies";
export { RolloutsPage } from "./rollouts";
export { RoutingPage } from "./routing";
export { SettingsPage, type SettingsTab } from "./settings";
export { ForgotPasswordPage, NoAccessPage, ResetPasswordPage, SignInPage } from "./sign-in";
