// The console's tRPC API as a signed-in person's browser calls it (same session cookie, same
// procedures, same permission checks and audit entries): for the setup steps a spec needs that are
// not what it tests, such as giving an agent a key to revoke.
import type { APIRequestContext } from "@playwright/test";

interface TrpcAnswer<T> {
  result?: { data: { json: T } };
  error?: { json: { message: string; data?: { code?: string } } };
}

export class ConsoleApi {
  constructor(private readonly request: APIRequestContext) {}

  async query<T>(procedure: string, input?: unknown): Promise<T> {
    const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    return this.answer<T>(procedure, await this.request.get(`/api/trpc/${procedure}${search}`));
  }

  async mutate<T>(procedure: string, input: unknown): Promise<T> {
    return this.answer<T>(procedure, await this.request.post(`/api/trpc/${procedure}`, { data: { json: input } }));
  }

  /** The id of the org with `slug`, among the signed-in person's. */
  async orgId(slug = "acme"): Promise<string> {
    const orgs = await this.query<{ id: string; slug: string }[]>("org.mine");
    const org = orgs.find((candidate) => candidate.slug === slug);
    if (!org) throw new Error(`the signed-in person is not in ${slug}`);
    return org.id;
  }

  private async answer<T>(procedure: string, response: Awaited<ReturnType<APIRequestContext["get"]>>): Promise<T> {
    const body = (await response.json()) as TrpcAnswer<T>;
    if (!response.ok() || !body.result) throw new Error(`${procedure} answered ${response.status()}: ${body.error?.json.message ?? JSON.stringify(body)}`);
    return body.result.data.json;
  }
}
