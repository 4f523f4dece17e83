import { expect, signedInAs, test } from "./fixtures";

test.describe("the compliance officer", () => {
  signedInAs("compliance");

  test("a Cedar syntax error shows on its line in the editor, cannot be saved, and changes nothing", async ({ policies }) => {
    await policies.goto();
    const before = await policies.enforcedSummary().textContent();

    await policies.newPolicy(`Broken ${Date.now()}`);
    await policies.writeCedar('permit (\n  principal,\n  action == Action::"tool",\n  resource\n) when { context.hour > };');

    await expect(policies.problems()).toContainText(/Error on line 5/);
    await expect(policies.notValid()).toBeVisible();
    await expect(policies.saveAndEnforceButton()).toBeDisabled();
    await expect(policies.saveAsDraftButton()).toBeDisabled();

    // Fixed, it validates against the schema.
    await policies.cedarEditor().fill('permit (\n  principal,\n  action == Action::"tool",\n  resource == Tool::"kb_search"\n) when { context.hour > 6 };');
    await expect(policies.valid()).toBeVisible();

    await policies.goto();
    await expect(policies.enforcedSummary()).toHaveText(before ?? "");
  });
});
