// Runs before every console page and console API request (Next.js "proxy", formerly middleware):
// refuses cross-site state-changing requests (server/http/security.ts checkOrigin), gives each
// request an id (returned as X-Request-Id and written with any server error), and sets the
// security headers: a Content-Security-Policy with a fresh nonce for pages, which Next.js reads
// from the request's own CSP header and puts on its scripts. The agent API (/api/v1) is not
// matched: it has its own checks and static headers (next.config.ts).
import { NextResponse, type NextRequest } from "next/server";
import { oidcIssuerOrigin, runtimeEnv } from "@/server/env";
import { API_CONTENT_SECURITY_POLICY, BASE_SECURITY_HEADERS, checkOrigin, hstsHeader, pageContentSecurityPolicy, requestIsHttps } from "@/server/http/security";
import { newRequestId, REQUEST_ID_HEADER, usableRequestId } from "@/server/runtime/log";

function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

export function proxy(request: NextRequest): NextResponse {
  const requestId = usableRequestId(request.headers.get(REQUEST_ID_HEADER)) ?? newRequestId();
  const path = request.nextUrl.pathname;
  const https = requestIsHttps(request.url, request.headers);
  const hsts = hstsHeader(runtimeEnv().AGENTRY_HSTS, https);

  const withHeaders = (response: NextResponse, csp: string) => {
    for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) response.headers.set(name, value);
    response.headers.set("Content-Security-Policy", csp);
    response.headers.set(REQUEST_ID_HEADER, requestId);
    if (hsts) response.headers.set("Strict-Transport-Security", hsts);
    return response;
  };

  const verdict = checkOrigin(request.method, path, request.headers);
  if (!verdict.ok) {
    const refused = NextResponse.json({ error: { code: "forbidden", message: verdict.reason } }, { status: 403, headers: { "Cache-Control": "no-store" } });
    return withHeaders(refused, API_CONTENT_SECURITY_POLICY);
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(REQUEST_ID_HEADER, requestId);
  let csp = API_CONTENT_SECURITY_POLICY;
  if (!path.startsWith("/api/")) {
    const nonce = newNonce();
    const issuer = oidcIssuerOrigin();
    csp = pageContentSecurityPolicy({ nonce, dev: runtimeEnv().NODE_ENV === "development", https, formTargets: issuer ? [issuer] : [] });
    requestHeaders.set("x-nonce", nonce);
    // Next.js takes the nonce for its own scripts from the request's policy.
    requestHeaders.set("Content-Security-Policy", csp);
  }
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp);
}

export const config = {
  matcher: [
    // Everything but the agent API and build assets (files that run nothing on their own; they
    // get the static headers of next.config.ts).
    "/((?!api/v1/|api/v1$|_next/static/|_next/image|favicon.ico).*)",
  ],
};
