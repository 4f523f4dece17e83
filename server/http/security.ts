// The console's HTTP hardening as pure functions of a request's method, path and headers, so the
// proxy (proxy.ts), the agent API's own server and the tests all apply the same rules:
// Content-Security-Policy with a per-request nonce, the other security headers, HSTS, and the
// Origin check that refuses cross-site state-changing requests (CSRF).

export interface HeaderSource {
  get(name: string): string | null;
}

/** The first value of a header that proxies may have appended to ("https, http"). */
function firstValue(headers: HeaderSource, name: string): string | null {
  const value = headers.get(name);
  if (!value) return null;
  return value.split(",")[0]?.trim().toLowerCase() || null;
}

// ---------------------------------------------------------------------------------------------
// Content-Security-Policy

export interface CspOptions {
  /** Fresh per response: Next.js puts it on its own inline and bundle scripts. */
  nonce: string;
  /** `next dev` evaluates code for its error overlay and injects styles without a nonce. */
  dev: boolean;
  https: boolean;
  /** Where single sign-on sends the browser (a form post may redirect there). */
  formTargets?: readonly string[];
}

/**
 * The console pages' policy: scripts only with this response's nonce ('strict-dynamic' lets
 * them load the bundles they import), nothing framed anywhere, no plugins, no <base> tricks, forms
 * only to this site. Styles: stylesheets from this site and nonce'd <style> elements; inline style
 * attributes stay allowed (React and the chart library set them; they cannot run code).
 */
export function pageContentSecurityPolicy({ nonce, dev, https, formTargets = [] }: CspOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${formTargets.map((target) => ` ${target}`).join("")}`,
    "frame-ancestors 'none'",
  ];
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** For JSON and file responses: nothing in them may run, load or be framed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Headers every response carries, whatever it is. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
};

export const HSTS_VALUE = "max-age=31536000";

export type HstsSetting = "auto" | "on" | "off";

/** Whether the browser reached us over HTTPS: directly, or as a TLS-terminating proxy says. */
export function requestIsHttps(url: string, headers: HeaderSource): boolean {
  const forwarded = firstValue(headers, "x-forwarded-proto");
  if (forwarded) return forwarded === "https";
  return url.startsWith("https:");
}

/**
 * Strict-Transport-Security, or null. "auto" sends it on HTTPS requests only (browsers ignore it
 * over plain HTTP anyway, so a spoofed X-Forwarded-Proto gains nothing); "on" always, for
 * deployments whose TLS proxy does not say; "off" never.
 */
export function hstsHeader(setting: HstsSetting, https: boolean): string | null {
  if (setting === "off") return null;
  if (setting === "on" || https) return HSTS_VALUE;
  return null;
}

/** Everything an agent API (JSON) response should carry; for the agent API's own HTTP server. */
export function apiSecurityHeaders(options: { https: boolean; hsts: HstsSetting }): Record<string, string> {
  const hsts = hstsHeader(options.hsts, options.https);
  return { ...BASE_SECURITY_HEADERS, "Content-Security-Policy": API_CONTENT_SECURITY_POLICY, ...(hsts ? { "Strict-Transport-Security": hsts } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Origin check (CSRF)

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** GET endpoints that change state (the audit export writes an audit entry): refused from other sites too. */
const STATE_CHANGING_GETS = [/^\/api\/orgs\/[^/]+\/audit\/export\/?$/];

/**
 * Paths the check leaves alone: the agent API authenticates with bearer keys, never cookies, so a
 * browser cannot be tricked into sending its credentials; an identity provider's callback may be
 * a cross-site form post and is protected by Auth.js's state and PKCE checks.
 */
const EXEMPT = [/^\/api\/v1(\/|$)/, /^\/api\/auth\/callback\//];

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

/** The host the browser addressed: a proxy's X-Forwarded-Host, else Host. */
function requestHost(headers: HeaderSource): string | null {
  return firstValue(headers, "x-forwarded-host") ?? firstValue(headers, "host");
}

/**
 * Whether a request may change state. Browsers send Origin on every cross-site POST and fetch,
 * and Sec-Fetch-Site on every request; a request with neither comes from a program (curl, a
 * script), not from a page a signed-in person was lured to, so it is not a CSRF vector.
 * - unsafe methods: an Origin must name this host (scheme ignored: a TLS proxy changes it);
 *   "null" (sandboxed frames, privacy redirects) is refused; without Origin, Sec-Fetch-Site must
 *   be absent, same-origin or none;
 * - state-changing GETs: refused when Sec-Fetch-Site says cross-site or same-site.
 */
export function checkOrigin(method: string, path: string, headers: HeaderSource): OriginVerdict {
  if (EXEMPT.some((pattern) => pattern.test(path))) return { ok: true };
  const fetchSite = firstValue(headers, "sec-fetch-site");
  const fromAnotherSite = fetchSite === "cross-site" || fetchSite === "same-site";

  if (SAFE_METHODS.has(method.toUpperCase())) {
    if (fromAnotherSite && STATE_CHANGING_GETS.some((pattern) => pattern.test(path))) {
      return { ok: false, reason: "This download changes state and must be started from the console itself." };
    }
    return { ok: true };
  }

  const origin = headers.get("origin");
  if (origin !== null) {
    if (origin === "null") return { ok: false, reason: "Requests from an opaque origin may not change anything." };
    let originHost: string;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      return { ok: false, reason: "The Origin header is not a URL." };
    }
    const host = requestHost(headers);
    if (!host || originHost !== host) return { ok: false, reason: "Cross-site requests may not change anything here." };
    return { ok: true };
  }
  if (fromAnotherSite) return { ok: false, reason: "Cross-site requests may not change anything here." };
  return { ok: true };
}
