// Prettier, set to the code's current style. Measured with `prettier --list-different .` on the
// tree as it was (about 550 files): printWidth 100 would change 507 of them, 140: 385, 180: 278,
// 200 and 210: 243 (233 once Markdown, which .prettierignore leaves alone, is out), 240: 259;
// trailing commas es5 or none, arrowParens "avoid", objectWrap "collapse",
// quoteProps "consistent" or bracketSameLine each changed more. Of the tied widths, 210 changes the
// fewest lines. `npm run format` writes, `npm run format:check` checks.

/** @type {import("prettier").Config} */
const config = {
  printWidth: 210,
  semi: true,
  singleQuote: false,
  trailingComma: "all",
  arrowParens: "always",
};

export default config;
