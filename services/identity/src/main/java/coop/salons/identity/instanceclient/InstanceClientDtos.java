package coop.salons.identity.instanceclient;

import coop.salons.common.api.Slugs;
import coop.salons.common.api.Urls;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** What the instance clients API reads and writes. */
public final class InstanceClientDtos {

  /** An https URL without wildcard, fragment or credentials; plain http only on localhost. */
  static final String REDIRECT = Urls.HTTPS_OR_LOCAL;

  static final String REDIRECT_MESSAGE =
      "must be an https URL (http only on localhost) without wildcard, query or fragment";

  private InstanceClientDtos() {}

  /** The OIDC client a chat instance signs its users in with. */
  public record InstanceClientSpec(
      @NotNull @Pattern(regexp = Slugs.PATTERN) String organization,
      @NotNull @Pattern(regexp = "^(matrix|mattermost)$", message = "must be matrix or mattermost")
          String flavour,
      @NotEmpty @Size(max = 10)
          List<
                  @NotNull @Size(max = 500) @Pattern(regexp = REDIRECT, message = REDIRECT_MESSAGE)
                  String>
              redirectUris,
      @Size(max = 500) @Pattern(regexp = REDIRECT, message = REDIRECT_MESSAGE)
          String backchannelLogoutUrl,
      @Pattern(regexp = "^(openid|gitlab)$", message = "must be openid or gitlab")
          String loginMode) {

    /**
     * {@code gitlab}: userinfo carries the GitLab-shaped claims Mattermost's GitLab login reads.
     */
    public boolean gitlab() {
      return "gitlab".equals(loginMode);
    }
  }

  /** A client as read back: never its secret. */
  public record InstanceClientView(
      String instanceId, String clientId, String organization, List<String> redirectUris) {}

  /** The answer that carries a secret: only at creation and at rotation. */
  public record InstanceClientSecret(String instanceId, String clientId, String secret) {}
}
