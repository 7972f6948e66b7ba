package coop.salons.common.security;

import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The user behind the request's bearer token. */
@RequestScoped
public class Caller {

  @Inject JsonWebToken token;

  public String id() {
    String subject = token.getSubject();
    if (subject == null) {
      throw new UnauthorizedException();
    }
    return subject;
  }

  public String username() {
    String name = token.getClaim("preferred_username");
    return name == null ? id() : name;
  }

  public String email() {
    return token.getClaim("email");
  }

  /** The client ids of organisations' automation clients start so (docs/adr/0029). */
  public static final String AUTOMATION_PREFIX = "automation-";

  /**
   * Whether the token is an organisation's automation client's (client credentials): it acts for
   * its organisation only, never as a person (it creates no organisation, opens no commons room).
   */
  public boolean automation() {
    String client = token.getClaim("azp");
    return client != null && client.startsWith(AUTOMATION_PREFIX);
  }
}
