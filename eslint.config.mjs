import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypeScript from "eslint-config-next/typescript";

const config = [
  { ignores: ["node_modules/**", ".next/**", ".data/**", ".data-*/**", "server/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...nextCoreWebVitals,
  ...nextTypeScript,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "error",
    },
  },
  {
    // An AuthorizedOrgId is minted only by the auth layer (server/auth/org-id.ts explains where).
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["server/auth/org-id.ts", "server/auth/access.ts", "server/agent-api/auth.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "TSAsExpression[typeAnnotation.typeName.name='AuthorizedOrgId'], TSTypeAssertion[typeAnnotation.typeName.name='AuthorizedOrgId']",
          message: "Only the auth layer mints an AuthorizedOrgId; for work the system does by itself use orgIdForSystemWork (server/auth/org-id.ts).",
        },
      ],
    },
  },
  {
    // Playwright fixtures call their argument `use`; it is not React's hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
