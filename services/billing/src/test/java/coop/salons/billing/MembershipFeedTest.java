package coop.salons.billing;

import static coop.salons.testing.Fixtures.organization;
import static coop.salons.testing.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.membership.OrganizationAccess;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What billing learns from identity's membership feed (libs/membership) does not depend on the
 * transaction of the request that asked for it: billing holds a batch of quota claims in one
 * transaction, and an organisation created a second ago must be known to every other request at
 * once, and stay known if that batch rolls back. Real identity and its feed.
 */
@QuarkusTest
class MembershipFeedTest {

  static final TestUser OWNER = user("mf-owner");

  @Inject OrganizationAccess organizations;
  @Inject EntityManager em;

  @Test
  void anOrganisationLearntInsideATransactionIsKnownToOthersAtOnceAndAfterARollback()
      throws Exception {
    String org = organization(OWNER);
    // As if billing had not heard of it yet: its members forgotten, the feed to be read again.
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              em.createNativeQuery("DELETE FROM organization_member WHERE organization_slug = ?1")
                  .setParameter(1, org)
                  .executeUpdate();
              em.createNativeQuery("UPDATE feed_position SET last_id = 0").executeUpdate();
            });
    assertEquals(0, organizations.memberCount(org));
    QuarkusTransaction.begin();
    try {
      assertTrue(organizations.known(org), "caught up with the feed inside the transaction");
      // Another request, on another thread and connection, while that transaction is still open.
      long seenElsewhere =
          CompletableFuture.supplyAsync(() -> organizations.memberCount(org)).get();
      assertEquals(1, seenElsewhere);
    } finally {
      QuarkusTransaction.rollback();
    }
    assertEquals(1, organizations.memberCount(org), "not taken back with the caller's rollback");
  }
}
