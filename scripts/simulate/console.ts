// The console's own API, as a person uses it: sign in with a demo login (Auth.js credentials over
// HTTP), then call tRPC procedures with the session cookie. Scenarios that need a person's action
// (release a version, start a rollout) go through this, with the same checks and audit entries.
import superjson from "superjson";

export interface ConsoleSession {
  query<T>(path: string, input: unknown): Promise<T>;
  mutate<T>(path: string, input: unknown): Promise<T>;
  orgId: string;
}

function cookiesFrom(response: Response): string[] {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0] ?? "")
    .filter(Boolean);
}

export class ConsoleError extends Error {}

/** Signs in as `email` and returns a session bound to the org `slug`. */
export async function signIn(baseUrl: string, email: string, password: string, slug = "acme"): Promise<ConsoleSession> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  if (!csrf.ok) throw new ConsoleError(`GET /api/auth/csrf answered ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  let cookies = cookiesFrom(csrf);
  const login = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/` }),
  });
  cookies = [...cookies, ...cookiesFrom(login)];
  if (!cookies.some((cookie) => cookie.includes("session-token="))) throw new ConsoleError(`Signing in as ${email} failed (HTTP ${login.status}): is the password in demo.json current?`);
  const cookie = cookies.join("; ");

  async function call<T>(method: "GET" | "POST", path: string, input: unknown): Promise<T> {
    const serialized = superjson.serialize(input);
    const url = method === "GET" ? `${baseUrl}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(serialized))}` : `${baseUrl}/api/trpc/${path}`;
    const response = await fetch(url, {
      method,
      headers: { cookie, ...(method === "POST" ? { "content-type": "application/json" } : {}) },
      ...(method === "POST" ? { body: JSON.stringify(serialized) } : {}),
    });
    const body = (await response.json()) as { result?: { data: Parameters<typeof superjson.deserialize>[0] }; error?: { json?: { message?: string } } };
    if (!response.ok || !body.result) throw new ConsoleError(`${path}: ${body.error?.json?.message ?? `HTTP ${response.status}`}`);
    return superjson.deserialize<T>(body.result.data);
  }

  const orgs = await call<{ id: string; slug: string }[]>("GET", "org.mine", undefined);
  const org = orgs.find((candidate) => candidate.slug === slug);
  if (!org) throw new ConsoleError(`${email} is not a member of ${slug}`);
  return { orgId: org.id, query: (path, input) => call("GET", path, input), mutate: (path, input) => call("POST", path, input) };
}
