/** Where to go after signing in: only a path on this site ("//host" and "/\host" are other sites to a browser). */
export function safeCallbackPath(value: string | undefined | null): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}
