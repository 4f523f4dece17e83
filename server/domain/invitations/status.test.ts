import { describe, expect, test } from "vitest";
import { invitationStatus, sessionIsCurrent } from "./status";

const now = new Date("2026-12-01T12:00:00Z");
const later = new Date("2026-12-08T12:00:00Z");

describe("invitationStatus", () => {
  test("accepted and revoked win over expiry; otherwise pending until it expires", () => {
    expect(invitationStatus({ expiresAt: later, acceptedAt: null, revokedAt: null }, now)).toBe("pending");
    expect(invitationStatus({ expiresAt: later, acceptedAt: now, revokedAt: null }, now)).toBe("accepted");
    expect(invitationStatus({ expiresAt: later, acceptedAt: null, revokedAt: now }, now)).toBe("revoked");
    expect(invitationStatus({ expiresAt: now, acceptedAt: null, revokedAt: null }, now)).toBe("expired");
    expect(invitationStatus({ expiresAt: later, acceptedAt: null, revokedAt: null }, later)).toBe("expired");
  });
});

describe("sessionIsCurrent", () => {
  test("without a reset every session is current; after one, only sessions that began since", () => {
    expect(sessionIsCurrent(undefined, null)).toBe(true);
    expect(sessionIsCurrent(now.getTime() - 1, now)).toBe(false);
    expect(sessionIsCurrent(now.getTime(), now)).toBe(true);
    expect(sessionIsCurrent(undefined, now)).toBe(false);
  });
});
