// What every console page has: the org it belongs to, the main navigation, its heading and its
// main region. Each page object below adds the locators and actions its specs use, named by what
// a person sees (roles and accessible names), so the specs read like the product.
import { expect, type Locator, type Page, type Response } from "@playwright/test";

export abstract class ConsolePage {
  /** The page's path under the org, without the leading slash ("" for the overview). */
  protected abstract readonly section: string;

  constructor(
    readonly page: Page,
    readonly org = "acme",
  ) {}

  /**
   * Opens the page, with `query` as its search parameters (?tab=…, ?action=…), and waits until
   * React has hydrated its main region: the page is painted on the server first, and a click that
   * lands before hydration does nothing. With JavaScript off, pass `{ hydrates: false }`.
   */
  async goto(query: Record<string, string> = {}, { hydrates = true } = {}): Promise<Response | null> {
    const search = new URLSearchParams(query).toString();
    const response = await this.page.goto(`/${this.org}${this.section ? `/${this.section}` : ""}${search ? `?${search}` : ""}`);
    // React marks each element it has hydrated with a `__reactFiber$…` property. (This function
    // runs in the page, so it cannot call anything defined here.)
    if (hydrates && response?.ok()) {
      await this.page.waitForFunction(() => {
        const main = document.querySelector("main");
        return main !== null && Object.keys(main).some((key) => key.startsWith("__reactFiber$"));
      });
    }
    return response;
  }

  get main(): Locator {
    return this.page.getByRole("main");
  }

  get nav(): Locator {
    return this.page.getByRole("navigation", { name: "Main" });
  }

  navLink(section: string): Locator {
    return this.nav.getByRole("link", { name: section, exact: true });
  }

  heading(name: string | RegExp): Locator {
    return this.page.getByRole("heading", { level: 1, name });
  }

  /**
   * Selects a tab and waits until it is the current one. A tab list may hydrate after the main
   * region around it, and a click before that does nothing: the click is repeated until the tab
   * says it is selected.
   */
  async selectTab(name: string) {
    const tab = this.page.getByRole("tab", { name, exact: true });
    await expect(async () => {
      await tab.click();
      await expect(tab).toHaveAttribute("aria-selected", "true", { timeout: 1_000 });
    }).toPass();
  }

  /** A notice in a status region (a toast or a form's confirmation). */
  notice(text: string): Locator {
    return this.page.getByRole("status").filter({ hasText: text });
  }

  /** A message in an alert role, such as a refusal from the server. */
  alertMessage(text: string): Locator {
    return this.page.getByRole("alert").filter({ hasText: text });
  }

  async signOut() {
    await this.page.getByRole("button", { name: "Sign out" }).click();
  }

  /** What a role that may not use the page is told instead. */
  roleRefusal(text: string): Locator {
    return this.page.getByText(text);
  }
}
