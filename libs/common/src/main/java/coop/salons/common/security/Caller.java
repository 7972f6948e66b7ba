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
}
