import { expect, signedInAs, test } from "./fixtures";

test.describe("the compliance officer", () => {
  signedInAs("compliance");

  test("a Cedar syntax error shows on its line in the editor, cannot be saved, and changes nothing", async ({ page }) => {
    await page.goto("/acme/policies");
    const summary = page.getByText(/\d+ enforced of \d+/);
    const before = await summary.textContent();

    await page.getByRole("button", { name: "New policy" }).click();
    await page.getByLabel("Policy name").fill(`Broken ${Date.now()}`);
    await page.getByRole("radio", { name: "Cedar text" }).click();
    const editor = page.getByRole("textbox", { name: "Cedar text" });
    await editor.fill('permit (\n  principal,\n  action == Action::"tool",\n  resource\n) when { context.hour > };');

    const problems = page.getByRole("list", { name: "Problems" });
    await expect(problems).toContainText(/Error on line 5/);
    await expect(page.getByText("Not valid: fix the errors above before saving.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Save and enforce" })).toBeDisabled();
    await expect(page.getByRole("button", { name: "Save as draft" })).toBeDisabled();

    // Fixed, it validates against the schema.
    await editor.fill('permit (\n  principal,\n  action == Action::"tool",\n  resource == Tool::"kb_search"\n) when { context.hour > 6 };');
    await expect(page.getByText("Valid against the schema.")).toBeVisible();

    await page.goto("/acme/policies");
    await expect(page.getByText(/\d+ enforced of \d+/)).toHaveText(before ?? "");
  });
});
