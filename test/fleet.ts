// Instance names for a rollout's traffic in tests. A rollout's salt is random and its arms are
// what the hash gives, so twenty instances can leave a small arm with one instance or none (a
// 20 % arm about once in a hundred rollouts): the fleet grows until the arm has enough.

/** `name(0)` to `name(19)`, then more (up to 400 in all) until at least `least` are in the arm. */
export function fleetWithArm(inArm: (instanceId: string) => boolean, name: (n: number) => string, least = 2): string[] {
  const fleet = Array.from({ length: 20 }, (_, n) => name(n));
  while (fleet.filter(inArm).length < least && fleet.length < 400) fleet.push(name(fleet.length));
  return fleet;
}
