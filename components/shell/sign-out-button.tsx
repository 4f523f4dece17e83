import { signOut } from "@/server/auth";

export function SignOutButton() {
  return (
    <form
      action={async () => {
        "use server";
        await signOut({ redirectTo: "/signin" });
      }}
    >
      <button type="submit" className="text-xs font-medium text-slate-300 hover:text-white">
        Sign out
      </button>
    </form>
  );
}
