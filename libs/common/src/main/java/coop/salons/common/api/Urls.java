package coop.salons.common.api;

/** URLs the platform calls or redirects to, checked by one pattern in every service. */
public final class Urls {

  /**
   * An https URL without wildcard, credentials, query or fragment; plain http only on localhost.
   * Services that must refuse loopback in production check that on top.
   */
  public static final String HTTPS_OR_LOCAL =
      "^(https://[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:[0-9]{1,5})?"
          + "|http://(localhost|127\\.0\\.0\\.1)(:[0-9]{1,5})?)(/[A-Za-z0-9._~!$&'()+,;=:@%/-]*)?$";

  private Urls() {}
}
