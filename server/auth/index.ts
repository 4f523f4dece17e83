// Auth.js: email + password, and OpenID Connect single sign-on when AUTH_OIDC_* are set.
// The session token carries only the user id and when the session began; memberships and roles
// are read from the database on every request (server/api/trpc.ts, server/auth/access.ts), so a
// role taken away takes effect on the next request, and a password reset ends every session.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { Provider } from "next-auth/providers";
import { z } from "zod";
import { getDb } from "../db";
import { env, oidcConfigured } from "../env";
import { logError } from "../runtime/log";
import { sessionIsCurrent } from "../domain/invitations/status";
import { checkCredentials, normaliseEmail } from "./credentials";

class InvalidCredentials extends CredentialsSignin {
  override code = "invalid_credentials";
}
class TooManyAttempts extends CredentialsSignin {
  override code = "too_many_attempts";
}

const credentialsInput = z.object({
  email: z.string().trim().email().max(320),
  password: z.string().min(1).max(1024),
});

export const OIDC_PROVIDER_ID = "oidc";

function providers(): Provider[] {
  const list: Provider[] = [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsInput.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        const result = await checkCredentials(getDb(), parsed.data.email, parsed.data.password);
        if (!result.ok) throw result.reason === "locked" ? new TooManyAttempts() : new InvalidCredentials();
        return { id: result.userId };
      },
    }),
  ];
  if (oidcConfigured()) {
    const config = env();
    list.push({
      id: OIDC_PROVIDER_ID,
      name: "Single sign-on",
      type: "oidc",
      issuer: config.AUTH_OIDC_ISSUER,
      clientId: config.AUTH_OIDC_ID,
      clientSecret: config.AUTH_OIDC_SECRET,
    });
  }
  return list;
}

const config = (): NextAuthConfig => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/signin", error: "/signin" },
  logger: {
    // A wrong password is an answer, not a server error: keep it out of the error log.
    error(error) {
      if (error instanceof CredentialsSignin) return;
      logError("sign-in failed", { error });
    },
  },
  providers: providers(),
  callbacks: {
    async jwt({ token, user, account, profile }) {
      if (account?.provider === OIDC_PROVIDER_ID) {
        // Single sign-on: one account per email. Someone not yet invited gets an account
        // without memberships and sees the "no access" page until an admin adds them.
        const email = typeof profile?.email === "string" ? normaliseEmail(profile.email) : null;
        if (!email) throw new Error("The identity provider returned no email address");
        const name = typeof profile?.name === "string" ? profile.name : email;
        const db = getDb();
        const found = await db.user.upsert({
          where: { email },
          create: { email, name, lastSignInAt: new Date() },
          update: { lastSignInAt: new Date() },
          select: { id: true },
        });
        token.sub = found.id;
        token.signedInAt = Date.now();
      } else if (user?.id) {
        token.sub = user.id;
        token.signedInAt = Date.now();
      } else if (token.sub) {
        // Every later read of the session: it ends when the account is gone or when a password
        // reset has ended every session since it began.
        const current = await getDb().user.findUnique({ where: { id: token.sub }, select: { sessionsValidFrom: true } });
        if (!current || !sessionIsCurrent(typeof token.signedInAt === "number" ? token.signedInAt : undefined, current.sessionsValidFrom)) return null;
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
});

export const { handlers, auth, signIn, signOut } = NextAuth(config);
