package coop.salons.provisioning.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A backup's files encrypted at rest with the hoster's key (docs/adr/0032): AES-256 in counter
 * mode, then an HMAC-SHA256 of what was written (encrypt-then-MAC, both keys derived from the
 * hoster's), streamed so that a gigabyte of media never sits in memory. A file is {@code IV (16
 * bytes) || ciphertext}; its HMAC and the SHA-256 of its plain bytes are kept in the manifest.
 */
final class BackupCipher {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int BUFFER = 1 << 16;

  private final byte[] encryption;
  private final byte[] authentication;
  private final byte[] links;

  /**
   * @param key the hoster's key, 32 bytes
   */
  BackupCipher(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("the backup key must be 32 bytes");
    }
    this.encryption = derive(key, "salons backup encryption");
    this.authentication = derive(key, "salons backup authentication");
    this.links = derive(key, "salons exit links");
  }

  /** What encrypting a file gave: its plain size and digest, its encrypted size and HMAC. */
  record Sealed(long bytes, String sha256, long encryptedBytes, String hmac) {}

  Sealed encrypt(Path plain, Path sealed) throws IOException {
    try (InputStream in = Files.newInputStream(plain)) {
      return encrypt(in, sealed);
    }
  }

  /** Encrypts what a stream gives (a dump or an archive as it is made) into a sealed file. */
  Sealed encrypt(InputStream in, Path sealed) throws IOException {
    try {
      byte[] iv = new byte[16];
      RANDOM.nextBytes(iv);
      Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encryption, "AES"), new IvParameterSpec(iv));
      Mac mac = mac();
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long bytes = 0;
      long written = iv.length;
      try (OutputStream out = Files.newOutputStream(sealed)) {
        out.write(iv);
        mac.update(iv);
        byte[] buffer = new byte[BUFFER];
        byte[] c = new byte[BUFFER + 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          sha.update(buffer, 0, n);
          bytes += n;
          int m = aes.update(buffer, 0, n, c);
          mac.update(c, 0, m);
          out.write(c, 0, m);
          written += m;
        }
        byte[] last = aes.doFinal();
        mac.update(last);
        out.write(last);
        written += last.length;
      }
      return new Sealed(
          bytes,
          HexFormat.of().formatHex(sha.digest()),
          written,
          HexFormat.of().formatHex(mac.doFinal()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What decrypting gave: the SHA-256 of the plain bytes, the HMAC of the sealed ones. */
  record Opened(String sha256, String hmac) {}

  /**
   * Decrypts a sealed file in one pass, computing the HMAC of what it read as well: the caller
   * compares both with the manifest before it uses what was written.
   */
  Opened decrypt(Path sealed, Path plain) throws IOException {
    try (InputStream in = Files.newInputStream(sealed);
        OutputStream out = Files.newOutputStream(plain)) {
      byte[] iv = in.readNBytes(16);
      if (iv.length != 16) {
        throw new IOException("a backup file is too short: " + sealed.getFileName());
      }
      Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encryption, "AES"), new IvParameterSpec(iv));
      Mac mac = mac();
      mac.update(iv);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[BUFFER];
      byte[] p = new byte[BUFFER + 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        mac.update(buffer, 0, n);
        int m = aes.update(buffer, 0, n, p);
        sha.update(p, 0, m);
        out.write(p, 0, m);
      }
      byte[] last = aes.doFinal();
      sha.update(last);
      out.write(last);
      return new Opened(
          HexFormat.of().formatHex(sha.digest()), HexFormat.of().formatHex(mac.doFinal()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The HMAC of a text (the manifest). */
  String hmacOf(String text) {
    return HexFormat.of().formatHex(mac().doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A signature of a link's text (an exit bundle's: backup and expiry), with a key of its own
   * derived from the hoster's, in base64url.
   */
  String signLink(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(links, "HmacSHA256"));
      return java.util.Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Mac mac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(authentication, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] derive(byte[] key, String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
