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
 * bytes) || ciphertext}; its HMAC is kept in the manifest. The HMAC alone proves a file is the one
 * written; the SHA-256 of the plain bytes an exit bundle lists is computed when it is made.
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

  /** What encrypting a file gave: its plain size, its encrypted size and HMAC. */
  record Sealed(long bytes, long encryptedBytes, String hmac) {}

  Sealed encrypt(Path plain, Path sealed) throws IOException {
    try (InputStream in = Files.newInputStream(plain)) {
      return encrypt(in, sealed);
    }
  }

  /**
   * Encrypts what a stream gives (a dump or an archive as it is made) into a sealed file. Two
   * threads share the work (docs/benchmarks.md): this one reads and encrypts, the other computes
   * the HMAC of the ciphertext and writes it.
   */
  Sealed encrypt(InputStream in, Path sealed) throws IOException {
    try {
      byte[] iv = new byte[16];
      RANDOM.nextBytes(iv);
      Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encryption, "AES"), new IvParameterSpec(iv));
      Mac mac = mac();
      long bytes = 0;
      try (OutputStream out = Files.newOutputStream(sealed)) {
        out.write(iv);
        mac.update(iv);
        long written = iv.length;
        try (Pipeline writer =
            new Pipeline(
                (slot, read, made) -> {
                  mac.update(slot.made, 0, made);
                  out.write(slot.made, 0, made);
                })) {
          for (; ; ) {
            Slot slot = writer.slot();
            int n = in.read(slot.read);
            if (n <= 0) {
              byte[] last = aes.doFinal();
              System.arraycopy(last, 0, slot.made, 0, last.length);
              writer.submit(slot, 0, last.length);
              written += last.length;
              break;
            }
            bytes += n;
            int m = aes.update(slot.read, 0, n, slot.made);
            writer.submit(slot, n, m);
            written += m;
          }
        }
        return new Sealed(bytes, written, HexFormat.of().formatHex(mac.doFinal()));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What decrypting gave: the HMAC of the sealed bytes, the SHA-256 of the plain ones if asked. */
  record Opened(String hmac, String sha256) {}

  /**
   * Decrypts a sealed file in one pass, computing the HMAC of what it read as well (and the SHA-256
   * of the plain bytes when {@code digest}, for an exit bundle's manifest): the caller compares the
   * HMAC with the manifest before it uses what was written. This thread reads, authenticates and
   * decrypts; another writes.
   */
  Opened decrypt(Path sealed, Path plain, boolean digest) throws IOException {
    try (OutputStream out = Files.newOutputStream(plain)) {
      return decrypt(sealed, out, digest);
    }
  }

  /** As {@link #decrypt(Path, Path, boolean)}, the plain bytes written to a stream (left open). */
  Opened decrypt(Path sealed, OutputStream out, boolean digest) throws IOException {
    try (InputStream in = Files.newInputStream(sealed)) {
      byte[] iv = in.readNBytes(16);
      if (iv.length != 16) {
        throw new IOException("a backup file is too short: " + sealed.getFileName());
      }
      Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encryption, "AES"), new IvParameterSpec(iv));
      Mac mac = mac();
      mac.update(iv);
      MessageDigest sha = digest ? MessageDigest.getInstance("SHA-256") : null;
      try (Pipeline writer =
          new Pipeline(
              (slot, read, made) -> {
                mac.update(slot.read, 0, read);
                if (sha != null) {
                  sha.update(slot.made, 0, made);
                }
                out.write(slot.made, 0, made);
              })) {
        for (; ; ) {
          Slot slot = writer.slot();
          int n = in.read(slot.read);
          if (n <= 0) {
            byte[] last = aes.doFinal();
            System.arraycopy(last, 0, slot.made, 0, last.length);
            writer.submit(slot, 0, last.length);
            break;
          }
          writer.submit(slot, n, aes.update(slot.read, 0, n, slot.made));
        }
      }
      return new Opened(
          HexFormat.of().formatHex(mac.doFinal()),
          sha == null ? null : HexFormat.of().formatHex(sha.digest()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A chunk as read, and as encrypted or decrypted. */
  private static final class Slot {
    final byte[] read = new byte[BUFFER];
    final byte[] made = new byte[BUFFER + 16];
  }

  /** What the second thread does with each chunk, in order. */
  @FunctionalInterface
  private interface SlotSink {
    void accept(Slot slot, int read, int made) throws IOException;
  }

  /**
   * Chunks handed to a thread of their own, in order, through a few reused slots: closing waits for
   * the last one and throws what that thread met. This thread reads and runs AES; the other one the
   * HMAC (and the digest) and the writes: on two cores, about twice as fast as one thread.
   */
  private static final class Pipeline implements AutoCloseable {
    private static final int SLOTS = 4;
    private final java.util.concurrent.BlockingQueue<Slot> free =
        new java.util.concurrent.ArrayBlockingQueue<>(SLOTS);
    private final java.util.concurrent.ExecutorService thread =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "backup-cipher");
              t.setDaemon(true);
              return t;
            });
    private final SlotSink sink;
    private volatile IOException failure;

    Pipeline(SlotSink sink) {
      this.sink = sink;
      for (int i = 0; i < SLOTS; i++) {
        free.add(new Slot());
      }
    }

    Slot slot() throws IOException {
      rethrow();
      try {
        return free.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    void submit(Slot slot, int read, int made) throws IOException {
      rethrow();
      thread.execute(
          () -> {
            try {
              if (failure == null) {
                sink.accept(slot, read, made);
              }
            } catch (IOException | RuntimeException e) {
              failure = e instanceof IOException io ? io : new IOException(e);
            } finally {
              free.add(slot);
            }
          });
    }

    /** A new exception each time (the body and close() may both throw it), with the cause. */
    private void rethrow() throws IOException {
      IOException f = failure;
      if (f != null) {
        throw new IOException(f.getMessage(), f);
      }
    }

    @Override
    public void close() throws IOException {
      thread.shutdown();
      try {
        if (!thread.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS)) {
          throw new IOException("a backup file was not written within an hour");
        }
      } catch (InterruptedException e) {
        thread.shutdownNow();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      rethrow();
    }
  }

  /** The HMAC of a sealed file, read once. */
  String hmacOf(Path sealed) throws IOException {
    Mac mac = mac();
    try (InputStream in = Files.newInputStream(sealed)) {
      byte[] buffer = new byte[BUFFER];
      for (int n; (n = in.read(buffer)) > 0; ) {
        mac.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(mac.doFinal());
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
