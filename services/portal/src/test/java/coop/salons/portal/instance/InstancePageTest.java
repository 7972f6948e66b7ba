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
            "https://talk.amis.chat.example.org/",
            null,
            1,
            null,
            List.of(),
            null,
            null,
            null,
            status == null
                ? List.of()
                : List.of(
                    new ProvisioningClient.Condition("AccountsSynced", status, "Reason", message)),
            null);
    return render(lang, talk);
  }

  private static String render(String lang, ProvisioningClient.Instance instance) {
    return InstancePages.Templates.instance(
            lang,
            "Hoster",
            new IdentityClient.Organization("amis", "Les Amis", "member", 3),
            instance,
            List.of(),
            100)
        .setLocale(Locale.forLanguageTag(lang))
        .render();
  }

  private static ProvisioningClient.Instance matrix(String url, String webClient) {
    return matrix(url, webClient, "sso");
  }

  private static ProvisioningClient.Instance matrix(String url, String webClient, String signIn) {
    return new ProvisioningClient.Instance(
        "salon",
        "Le salon",
        "matrix",
        "1.163.2",
        "small",
        "open",
        "ready",
        "running",
        url,
        webClient,
        null,
        1,
        null,
        List.of(),
        null,
        null,
        null,
        List.of(),
        signIn);
  }

  /**
   * A Matrix server with the platform's Element Web on its host: "Open the chat" opens it, and the
   * steps to connect another app are beside it.
   */
  @Test
  void aMatrixChatOpensInTheSharedWebClient() {
    String url = "https://salon.amis.chat.example.org/";
    String page = render("en", matrix(url, url));
    assertTrue(page.contains("id=\"open-chat\" href=\"" + url + "\""), page);
    assertTrue(
        page.contains("<code id=\"homeserver-url\">https://salon.amis.chat.example.org</code>"),
        page);
    assertFalse(page.contains("id=\"open-web-client\""), "the same client is not linked twice");
    assertTrue(page.contains("Continue with Salons"), page);
  }

  /**
   * Which apps members can use, in both sign-in modes (docs/adr/0038): with Synapse's own single
   * sign-on the page warns that Element X cannot sign in; with the Matrix Authentication Service it
   * says Element X can, in English and French.
   */
  @Test
  void thePageSaysWhetherElementXCanSignIn() {
    String url = "https://salon.amis.chat.example.org/";
    String sso = render("en", matrix(url, url, "sso"));
    assertTrue(sso.contains("id=\"element-x\""), sso);
    assertTrue(sso.contains("does not sign in to this server yet"), sso);
    assertFalse(sso.contains("id=\"element-x-ready\""), sso);
    String mas = render("en", matrix(url, url, "mas"));
    assertTrue(mas.contains("id=\"element-x-ready\""), mas);
    assertTrue(mas.contains("signs in to this server too"), mas);
    assertFalse(mas.contains("does not sign in to this server yet"), mas);
    String fr = render("fr", matrix(url, url, "mas"));
    assertTrue(fr.contains("se connecte aussi à ce serveur"), fr);
  }

  /**
   * On one machine without a web client, the page tells how to connect any Matrix app to the local
   * server, in both languages; a web client the machine has is linked beside the steps.
   */
  @Test
  void aLocalMatrixServerSaysHowToConnectAnApp() {
    String url = "http://localhost:8402/";
    String page = render("en", matrix(url, null));
    assertFalse(page.contains("id=\"open-chat\""), "no button leads to the server's bare page");
    assertTrue(page.contains("connect a Matrix app to it"), page);
    assertTrue(page.contains("<code id=\"homeserver-url\">http://localhost:8402</code>"), page);
    assertTrue(page.contains("change it to http://localhost:8402."), page);
    assertTrue(page.contains("id=\"element-x\""), page);
    assertFalse(page.contains("id=\"open-web-client\""), page);

    String fr = render("fr", matrix(url, null));
    assertTrue(fr.contains("Connecter une application Matrix"), fr);
    assertTrue(fr.contains("remplacez-le par http://localhost:8402."), fr);

    String withClient = render("en", matrix(url, "http://localhost:8090/"));
    assertTrue(
        withClient.contains("id=\"open-web-client\"")
            && withClient.contains("http://localhost:8090/"),
        withClient);
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

  /**
   * A custom domain not proven yet: the page shows the TXT record to create, in both languages;
   * once proven, it says so instead.
   */
  @Test
  void anUnprovenDomainShowsItsProofRecord() {
    ProvisioningClient.Instance unproven = atDomain(null);
    String page = render("en", unproven);
    assertTrue(
        page.contains(
            "<pre id=\"domain-proof\">_salons-proof.chat.amis.org. TXT"
                + " \"salons-proof=abc123\"</pre>"),
        page);
    assertTrue(page.contains("no route, no certificate"), page);
    assertTrue(render("fr", unproven).contains("ni route, ni certificat"));
    String proven = render("en", atDomain(java.time.OffsetDateTime.now()));
    assertTrue(proven.contains("id=\"domain-proven\""), proven);
    assertFalse(proven.contains("id=\"domain-proof\""), proven);
  }

  private static ProvisioningClient.Instance atDomain(java.time.OffsetDateTime provenAt) {
    return new ProvisioningClient.Instance(
        "salon",
        "Le salon",
        "matrix",
        "1.163.2",
        "small",
        "open",
        "ready",
        "running",
        "https://chat.amis.org/",
        null,
        null,
        1,
        null,
        List.of(),
        "chat.amis.org",
        "salon.amis.chat.example.org",
        new ProvisioningClient.DomainProof(
            "_salons-proof.chat.amis.org", "salons-proof=abc123", provenAt),
        List.of(),
        null);
  }
}
