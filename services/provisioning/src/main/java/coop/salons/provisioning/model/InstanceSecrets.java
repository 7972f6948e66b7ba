package coop.salons.provisioning.model;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names of an instance's secrets and how each is generated. They are generated once, kept by
 * the runtime (a Kubernetes Secret, or private files locally), never logged and never returned by
 * the API.
 */
public final class InstanceSecrets {

  public static final String DB_PASSWORD = "db-password";
  public static final String SIGNING_KEY = "signing-key";
  public static final String MACAROON = "macaroon";
  public static final String FORM = "form";
  public static final String REGISTRATION = "registration";
  public static final String OIDC_CLIENT_SECRET = "oidc-client-secret";
  public static final String AT_REST_KEY = "at-rest-key";
  public static final String MATTERMOST_ADMIN_PASSWORD = "mattermost-admin-password";

  /**
   * The commons server only: the token the platform's commons service acts with (an application
   * service's {@code as_token}; the hoster's secret, shared with the commons service).
   */
  public static final String APPSERVICE_TOKEN = "appservice-token";

  /**
   * Matrix with the Matrix Authentication Service (docs/adr/0038): the secret MAS and Synapse call
   * each other with.
   */
  public static final String MAS_SHARED_SECRET = "mas-shared-secret";

  /** MAS's key for cookies and database fields: 32 bytes in hex; never changed once used. */
  public static final String MAS_ENCRYPTION = "mas-encryption";

  /** MAS's RSA key (PKCS#8 PEM), which signs its ID tokens. */
  public static final String MAS_SIGNING_KEY = "mas-signing-key";

  /** The commons server only: the token it would present to the application service. */
  public static final String APPSERVICE_HS_TOKEN = "appservice-hs-token";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private InstanceSecrets() {}

  /** Fresh values for every secret of the commons server. */
  public static Map<String, String> generateForCommons() {
    Map<String, String> s = generate(Flavour.MATRIX);
    s.put(APPSERVICE_TOKEN, token(48));
    s.put(APPSERVICE_HS_TOKEN, token(48));
    return s;
  }

  /** Fresh values for every secret a flavour needs (the OIDC client secret comes from identity). */
  public static Map<String, String> generate(Flavour flavour) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(DB_PASSWORD, token(32));
    if (flavour == Flavour.MATRIX) {
      s.put(SIGNING_KEY, signingKey());
      s.put(MACAROON, token(48));
      s.put(FORM, token(48));
      s.put(REGISTRATION, token(48));
    } else {
      s.put(AT_REST_KEY, token(32));
      // The platform's own Mattermost account, which makes members' accounts (login mode accounts).
      s.put(MATTERMOST_ADMIN_PASSWORD, token(40));
    }
    return s;
  }

  /**
   * The secrets of the Matrix Authentication Service, for a Matrix instance that signs in through
   * it (generated only then: an RSA key takes a moment).
   */
  public static Map<String, String> generateForAuthService() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(MAS_SHARED_SECRET, token(48));
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    s.put(MAS_ENCRYPTION, java.util.HexFormat.of().formatHex(key));
    s.put(MAS_SIGNING_KEY, rsaKey());
    return s;
  }

  /** A 2048-bit RSA private key, PKCS#8 in PEM. */
  static String rsaKey() {
    try {
      java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
      g.initialize(2048, RANDOM);
      byte[] der = g.generateKeyPair().getPrivate().getEncoded();
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
              .encodeToString(der)
          + "\n-----END PRIVATE KEY-----\n";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A random string of letters and digits (safe in every file format and URL). */
  public static String token(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHANUMERIC[RANDOM.nextInt(ALPHANUMERIC.length)];
    }
    return new String(out);
  }

  /** A Synapse signing key file: {@code ed25519 <key id> <unpadded base64 of a 32-byte seed>}. */
  static String signingKey() {
    byte[] seed = new byte[32];
    RANDOM.nextBytes(seed);
    return "ed25519 a_"
        + token(4)
        + " "
        + Base64.getEncoder().withoutPadding().encodeToString(seed)
        + "\n";
  }
}
