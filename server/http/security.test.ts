import { describe, expect, test } from "vitest";
import { apiSecurityHeaders, checkOrigin, hstsHeader, pageContentSecurityPolicy, requestIsHttps } from "./security";

const headers = (values: Record<string, string>) => new Headers(values);
const HOST = { host: "console.example.com" };

describe("checkOrigin", () => {
  test("a same-origin POST passes; the scheme may differ behind a TLS proxy", () => {
    expect(checkOrigin("POST", "/api/trpc/org.update", headers({ ...HOST, origin: "https://console.example.com", "sec-fetch-site": "same-origin" }))).toEqual({ ok: true });
    expect(checkOrigin("POST", "/api/trpc/org.update", headers({ ...HOST, origin: "http://console.example.com" }))).toEqual({ ok: true });
    expect(checkOrigin("POST", "/acme/settings", headers({ host: "internal:3000", "x-forwarded-host": "console.example.com", origin: "https://console.example.com" }))).toEqual({ ok: true });
  });

  test("a cross-site POST, PUT, PATCH or DELETE is refused, whatever the path", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "post"]) {
      for (const path of ["/api/trpc/members.invite", "/signin", "/acme", "/api/auth/signout"]) {
        expect(checkOrigin(method, path, headers({ ...HOST, origin: "https://evil.example" })).ok, `${method} ${path}`).toBe(false);
      }
    }
    // A sibling subdomain is another origin too, and so is another port.
    expect(checkOrigin("POST", "/api/trpc/x", headers({ ...HOST, origin: "https://evil.console.example.com" })).ok).toBe(false);
    expect(checkOrigin("POST", "/api/trpc/x", headers({ ...HOST, origin: "https://console.example.com:8443" })).ok).toBe(false);
    expect(checkOrigin("POST", "/api/trpc/x", headers({ ...HOST, origin: "null" })).ok).toBe(false);
    expect(checkOrigin("POST", "/api/trpc/x", headers({ ...HOST, origin: "not a url" })).ok).toBe(false);
  });

  test("without Origin, Sec-Fetch-Site decides; with neither, it is not a browser and passes", () => {
    expect(checkOrigin("POST", "/api/trpc/x", headers({ ...HOST, "sec-fetch-site": "same-origin" })).ok).toBe(true);
    expect(checkOrigin("POST", "/api/trpc/x", headers({ ...HOST, "sec-fetch-site": "none" })).ok).toBe(true);
    expect(checkOrigin("POST", "/api/trpc/x", headers({ ...HOST, "sec-fetch-site": "cross-site" })).ok).toBe(false);
    expect(checkOrigin("POST", "/api/trpc/x", headers({ ...HOST, "sec-fetch-site": "same-site" })).ok).toBe(false);
    expect(checkOrigin("POST", "/api/trpc/x", headers(HOST)).ok).toBe(true);
  });

  test("reads pass from anywhere, except the audit export, which writes an audit entry", () => {
    expect(checkOrigin("GET", "/acme/agents", headers({ ...HOST, "sec-fetch-site": "cross-site" })).ok).toBe(true);
    expect(checkOrigin("GET", "/api/orgs/0b6c/audit/export", headers({ ...HOST, "sec-fetch-site": "cross-site" })).ok).toBe(false);
    expect(checkOrigin("GET", "/api/orgs/0b6c/audit/export", headers({ ...HOST, "sec-fetch-site": "same-origin" })).ok).toBe(true);
    expect(checkOrigin("GET", "/api/orgs/0b6c/audit/export", headers({ ...HOST, "sec-fetch-site": "none" })).ok).toBe(true);
  });

  test("the agent API (bearer keys, no cookies) and identity-provider callbacks are left alone", () => {
    expect(checkOrigin("POST", "/api/v1/events", headers({ ...HOST, origin: "https://evil.example" })).ok).toBe(true);
    expect(checkOrigin("POST", "/api/auth/callback/oidc", headers({ ...HOST, origin: "https://idp.example" })).ok).toBe(true);
    expect(checkOrigin("POST", "/api/v1x", headers({ ...HOST, origin: "https://evil.example" })).ok).toBe(false);
  });
});

describe("Content-Security-Policy", () => {
  test("scripts need the nonce, nothing may frame the console, and production allows no eval", () => {
    const csp = pageContentSecurityPolicy({ nonce: "abc123", dev: false, https: false });
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(pageContentSecurityPolicy({ nonce: "n", dev: false, https: true })).toContain("upgrade-insecure-requests");
    expect(pageContentSecurityPolicy({ nonce: "n", dev: false, https: false, formTargets: ["https://idp.example"] })).toContain("form-action 'self' https://idp.example");
  });

  test("API responses may run nothing and be framed nowhere", () => {
    expect(apiSecurityHeaders({ https: false, hsts: "auto" })).toEqual({
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin",
      "X-Frame-Options": "DENY",
      "Cross-Origin-Opener-Policy": "same-origin",
    });
    expect(apiSecurityHeaders({ https: true, hsts: "auto" })["Strict-Transport-Security"]).toBe("max-age=31536000");
  });
});

describe("HSTS", () => {
  test("auto follows the request's scheme as the proxy reports it; on and off are what they say", () => {
    expect(requestIsHttps("http://internal:3000/", headers({ "x-forwarded-proto": "https" }))).toBe(true);
    expect(requestIsHttps("http://internal:3000/", headers({ "x-forwarded-proto": "https, http" }))).toBe(true);
    expect(requestIsHttps("https://console.example.com/", headers({}))).toBe(true);
    expect(requestIsHttps("http://localhost:3000/", headers({}))).toBe(false);
    expect(hstsHeader("auto", true)).toBe("max-age=31536000");
    expect(hstsHeader("auto", false)).toBeNull();
    expect(hstsHeader("on", false)).toBe("max-age=31536000");
    expect(hstsHeader("off", true)).toBeNull();
  });
});
