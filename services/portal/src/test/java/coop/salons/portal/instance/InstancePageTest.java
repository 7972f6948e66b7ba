package coop.salons.portal.instance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.portal.organization.IdentityClient;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The instance page as Qute renders it, in English and French, for what the end-to-end test's
 * Matrix chat never shows: a Mattermost instance whose members' accounts the platform keeps (or
 * cannot keep, and says why). Rendered for a member, whose page has no form: outside a request
 * there is no CSRF token to put in one.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "portal"))
class InstancePageTest {

  private static String page(String lang, String status, String message) {
    ProvisioningClient.Instance talk =
        new ProvisioningClient.Instance(
            "talk",
            "Talk",
            "mattermost",
            "11.1.0",
            "small",
            "platform-only",
            "ready",
            "running",
            "https://talk.amis.chat.example.org/",
            null,
            1,
            null,
            List.of(),
            null,
            null,
            status == null
                ? List.of()
                : List.of(
                    new ProvisioningClient.Condition("AccountsSynced", status, "Reason", message)));
    return InstancePages.Templates.instance(
            lang,
            "Hoster",
            new IdentityClient.Organization("amis", "Les Amis", "member", 3),
            talk,
            List.of(),
            100)
        .setLocale(Locale.forLanguageTag(lang))
        .render();
  }

  @Test
  void theMembersAccountsAreShownWithWhyTheyAreNotKept() {
    String failing =
        page("en", "False", "The platform's account salons-admin does not sign in <here>");
    assertTrue(failing.contains("id=\"accounts-failing\""), failing);
    assertTrue(failing.contains("cannot keep the members"), failing);
    assertTrue(failing.contains("salons-admin does not sign in &lt;here&gt;"), "escaped");

    String fr = page("fr", "True", "3 members have a Mattermost account.");
    assertTrue(fr.contains("id=\"accounts-synced\""), fr);
    assertTrue(fr.contains("La plateforme tient un compte Mattermost"), fr);

    assertTrue(page("en", "Unknown", "").contains("id=\"accounts-unknown\""));
    assertFalse(page("en", null, null).contains("id=\"accounts\""), "other sign-in modes");
  }
}
