package coop.salons.membership;

import java.time.OffsetDateTime;

/**
 * A membership change as the follower applies it, fired (synchronously, inside the transaction that
 * applies it with the feed's position) for the services that act on it: provisioning tells the
 * organisation's webhooks. An observer's failure rolls the change back; it is read again.
 *
 * @param kind {@code added}, {@code role_changed} or {@code removed}
 * @param role the role after the change; null when removed
 */
public record MembershipChanged(
    long eventId,
    String organization,
    String userId,
    String kind,
    String role,
    OffsetDateTime occurredAt) {}
