// The documentation a person gets with a clone: every relative link in the Markdown resolves to a
// file of the repository (and every #anchor to a heading there, as GitHub makes heading ids), and
// nothing refers to the team's design notes, which live outside the repository.
import { existsSync, globSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import GithubSlugger from "github-slugger";
import { Lexer, type Token, type Tokens } from "marked";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const DOCS = ["README.md", "docs/**/*.md", "sdk/**/*.md", "examples/**/*.md"];
/** Installed, generated and local-data folders: never what a link should point at. */
const LOCAL = /^(node_modules|\.next|\.git|\.data[^/]*|test-results|playwright-report|server\/generated)(\/|$)/;
/** Written so that this file does not match itself. */
const OUTSIDE_REFERENCES = [/DESIGN\.md/i, /\.\.\/shared\b/, /\/work\/shared\b/];

function markdownFiles(): string[] {
  return DOCS.flatMap((pattern) => globSync(pattern, { cwd: ROOT, exclude: (path) => LOCAL.test(path) || path.includes("node_modules") }))
    .map((path) => path.split(sep).join("/"))
    .sort();
}

/** Every token of a document, nested ones (list items, table cells, link text) included. */
function* walk(tokens: Token[]): Generator<Token> {
  for (const token of tokens) {
    yield token;
    const nested = token as { tokens?: Token[]; items?: Token[]; header?: { tokens: Token[] }[]; rows?: { tokens: Token[] }[][] };
    if (nested.tokens) yield* walk(nested.tokens);
    if (nested.items) yield* walk(nested.items);
    for (const cell of nested.header ?? []) yield* walk(cell.tokens);
    for (const row of nested.rows ?? []) for (const cell of row) yield* walk(cell.tokens);
  }
}

/** A heading's text as GitHub reads it for its id: the inline Markdown rendered to plain text. */
function plainText(tokens: Token[]): string {
  return tokens.map((token) => ("tokens" in token && token.tokens ? plainText(token.tokens) : "text" in token ? String(token.text) : "")).join("");
}

interface Document {
  links: string[];
  anchors: Set<string>;
}

const parsed = new Map<string, Document>();
function parse(file: string): Document {
  const cached = parsed.get(file);
  if (cached) return cached;
  const tokens = new Lexer({ gfm: true }).lex(readFileSync(join(ROOT, file), "utf8"));
  const slugger = new GithubSlugger();
  const document: Document = { links: [], anchors: new Set() };
  for (const token of walk(tokens)) {
    if (token.type === "heading") document.anchors.add(slugger.slug(plainText((token as Tokens.Heading).tokens)));
    if (token.type === "link" || token.type === "image") document.links.push((token as Tokens.Link).href);
  }
  parsed.set(file, document);
  return document;
}

/** What is wrong with a link in `file`, or null when it resolves inside the repository. */
function brokenLink(file: string, href: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return null; // https:, mailto:: not a file of ours
  if (href.startsWith("/")) return "starts with /: write it relative to the file";
  const [rawPath = "", anchor] = href.split("#", 2);
  const path = decodeURIComponent(rawPath);
  const target =
    path === ""
      ? file
      : relative(ROOT, resolve(ROOT, dirname(file), path))
          .split(sep)
          .join("/");
  if (target === ".." || target.startsWith("../")) return "points outside the repository";
  if (LOCAL.test(target)) return "points into a generated or local folder";
  if (!existsSync(join(ROOT, target))) return `${target} does not exist`;
  if (anchor === undefined) return null;
  if (!target.endsWith(".md") || statSync(join(ROOT, target)).isDirectory()) return `#${anchor} on ${target}, which has no headings`;
  return parse(target).anchors.has(anchor) ? null : `${target} has no heading #${anchor}`;
}

describe("documentation links", () => {
  const files = markdownFiles();

  it("finds the documentation", () => {
    expect(files).toEqual(expect.arrayContaining(["README.md", "docs/architecture.md", "docs/concepts.md", "docs/configuration.md", "docs/deployment.md", "sdk/README.md", "examples/README.md"]));
  });

  it("resolves every relative link and anchor to a file and heading of the repository", () => {
    const broken = files.flatMap((file) =>
      parse(file)
        .links.map((href) => ({ href, problem: brokenLink(file, href) }))
        .filter((link) => link.problem !== null)
        .map((link) => `${file}: (${link.href}) ${link.problem}`),
    );
    expect(broken).toEqual([]);
  });

  it("refers to nothing outside the repository: no file names the team's design notes", () => {
    const sources = globSync("**/*.{md,ts,tsx,mjs,js,py,prisma,json,toml,css,sql}", { cwd: ROOT, exclude: (path) => LOCAL.test(path) || path.endsWith("package-lock.json") });
    const offending = sources.flatMap((file) => {
      const text = readFileSync(join(ROOT, file), "utf8");
      return text
        .split("\n")
        .map((line, index) => ({ line, index }))
        .filter(({ line }) => OUTSIDE_REFERENCES.some((pattern) => pattern.test(line)))
        .map(({ line, index }) => `${file}:${index + 1}: ${line.trim()}`);
    });
    expect(offending).toEqual([]);
  });
});

describe("brokenLink", () => {
  it("tells a missing file, a missing heading, a way out of the repository and a local folder apart", () => {
    expect(brokenLink("README.md", "docs/architecture.md")).toBeNull();
    expect(brokenLink("docs/agent-api.md", "../sdk/README.md")).toBeNull();
    expect(brokenLink("docs/agent-api.md", "#errors")).toBeNull();
    expect(brokenLink("README.md", "https://example.com/x.md")).toBeNull();
    expect(brokenLink("README.md", "docs/no-such-page.md")).toBe("docs/no-such-page.md does not exist");
    expect(brokenLink("docs/agent-api.md", "#no-such-heading")).toBe("docs/agent-api.md has no heading #no-such-heading");
    expect(brokenLink("docs/agent-api.md", "../../outside/notes.md")).toBe("points outside the repository");
    expect(brokenLink("README.md", ".data/demo.json")).toBe("points into a generated or local folder");
  });
});
