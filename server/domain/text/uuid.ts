// One spelling of "is this a UUID" for ids read from URLs, filters and payloads, before they reach a
// uuid column (PostgreSQL would refuse anything else with an error, not an empty answer).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
