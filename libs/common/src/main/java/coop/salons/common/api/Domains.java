package coop.salons.common.api;

import com.google.common.net.InternetDomainName;
import java.util.Optional;

/** Domain names as the APIs accept them. */
public final class Domains {

  /** A lower-case DNS name with at least two labels, at most 253 characters. */
  public static final String PATTERN =
      "^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$";

  public static final String MESSAGE = "must be a lower-case DNS name such as chat.example.org";

  private Domains() {}

  /**
   * Why a name cannot be a domain an association owns, or empty when it can: it must be a name
   * under a public suffix of the Public Suffix List (such as {@code example.org} or {@code
   * chat.example.co.uk}), not a public suffix itself ({@code co.uk}, {@code github.io}) and not a
   * name no one can register ({@code .invalid}, {@code .local}, {@code .internal}, a bare label).
   */
  public static Optional<String> notOwnable(String domain) {
    InternetDomainName name;
    try {
      name = InternetDomainName.from(domain);
    } catch (IllegalArgumentException e) {
      return Optional.of(MESSAGE);
    }
    if (name.isPublicSuffix()) {
      return Optional.of(
          "is a public suffix, under which anyone registers names; give a name of your own under"
              + " it");
    }
    if (!name.isUnderPublicSuffix()) {
      return Optional.of(
          "is not under a public suffix (such as .org or .fr): no one can own it on the Internet");
    }
    return Optional.empty();
  }
}
