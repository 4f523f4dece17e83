// The console as a browser meets it, over HTTP against an app process: a signed-in session
// (Auth.js's credentials endpoint, as the sign-in form posts it) and tRPC queries with it.
import { randomBytes } from "node:crypto";
import type { Db } from "../../../server/db";
import { hashPassword } from "../../../server/auth/password";
import type { Role } from "../../../server/domain/access/permissions";

/** A user with a password and a membership of `orgId`, who can sign in to the console. */
export async function createConsoleUser(db: Db, orgId: string, role: Role): Promise<{ email: string; password: string }> {
  const password = randomBytes(12).toString("base64url");
  const email = `${role}-${randomBytes(4).toString("hex")}@console.test`;
  const user = await db.user.create({ data: { email, name: role, passwordHash: await hashPassword(password) } });
  await db.membership.create({ data: { orgId, userId: user.id, role } });
  return { email, password };
}

/** Signs in and returns the session's Cookie header. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const pair = cookie.split(";")[0] ?? "";
      const at = pair.indexOf("=");
      if (at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(), origin: baseUrl },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/` }),
  });
  keep(response);
  if (![...jar.keys()].some((name) => name.includes("session-token"))) throw new Error(`Signing in as ${email} failed (HTTP ${response.status})`);
  return cookieHeader();
}

/** A tRPC query as the console sends it; answers the HTTP status and the result's data. */
export async function trpcQuery(baseUrl: string, cookie: string, path: string, input: unknown): Promise<{ status: number; data: unknown }> {
  const response = await fetch(`${baseUrl}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers: { cookie } });
  const body = (await response.json().catch(() => null)) as { result?: { data?: { json?: unknown } } } | null;
  return { status: response.status, data: body?.result?.data?.json };
}
