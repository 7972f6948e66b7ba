package coop.salons.common.api;

/** DNS names a user gives (a chat's custom domain, an organisation's email domain). */
public final class Domains {

  /** A lower-case DNS name with at least two labels, at most 253 characters. */
  public static final String PATTERN =
      "^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$";

  public static final String MESSAGE = "must be a lower-case DNS name such as chat.example.org";

  private Domains() {}
}
