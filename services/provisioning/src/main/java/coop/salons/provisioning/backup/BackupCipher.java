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

  Sealed encrypt(Path plain, Path sealed, String context) throws IOException {
    try (InputStream in = Files.newInputStream(plain)) {
      return encrypt(in, sealed, context);
    }
  }

  /**
   * Encrypts what a stream gives (a dump or an archive as it is made) into a sealed file of format
   * 3: {@code IV}, then chunks of {@value #CHUNK} bytes of ciphertext each followed by its own HMAC
   * (of the file's {@code context}, the IV, the chunk's number, whether it is the last, and the
   * ciphertext), the last chunk shorter (possibly empty). A reader can thus check each chunk before
   * it uses its plain bytes, in one pass. The HMAC answered (the manifest's) is that of the IV and
   * every chunk's HMAC in order. Two threads share the work (docs/benchmarks.md): this one reads
   * and encrypts, the other computes the HMACs and writes.
   *
   * @param context what the file is ({@code <backup>/<name>}): a chunk of another file or backup
   *     does not pass as one of this one
   */
  Sealed encrypt(InputStream in, Path sealed, String context) throws IOException {
    try {
      byte[] iv = new byte[16];
      RANDOM.nextBytes(iv);
      Cipher aes = aes(Cipher.ENCRYPT_MODE, iv);
      Mac file = mac();
      file.update(iv);
      Mac chunks = mac();
      byte[] header = header(context, iv);
      long bytes = 0;
      long written = iv.length;
      try (OutputStream out = Files.newOutputStream(sealed)) {
        out.write(iv);
        try (Pipeline writer =
            new Pipeline(
                (slot, read, made) -> {
                  byte[] tag = tag(chunks, header, slot.index, slot.last, slot.made, made);
                  out.write(slot.made, 0, made);
                  out.write(tag);
                  file.update(tag);
                })) {
          for (long index = 0; ; index++) {
            Slot slot = writer.slot();
            int n = in.readNBytes(slot.read, 0, CHUNK);
            int m = aes.update(slot.read, 0, n, slot.made);
            slot.index = index;
            slot.last = n < CHUNK;
            bytes += n;
            written += m + TAG;
            writer.submit(slot, n, m);
            if (slot.last) {
              break;
            }
          }
        }
      }
      return new Sealed(bytes, written, HexFormat.of().formatHex(file.doFinal()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Decrypts a sealed file of format 3 in one pass, each chunk's HMAC checked before its plain
   * bytes are given to {@code out}: a changed, moved, missing or added chunk throws {@link Forged}
   * before anything of it is written. Answers the file's HMAC (to compare with the manifest's,
   * which also proves no whole file was swapped) and, when {@code digest}, the SHA-256 of the plain
   * bytes.
   */
  Opened decryptChunked(Path sealed, OutputStream out, boolean digest, String context)
      throws IOException {
    try (InputStream in = Files.newInputStream(sealed)) {
      byte[] iv = in.readNBytes(16);
      if (iv.length != 16) {
        throw new Forged(sealed.getFileName() + " is too short");
      }
      Cipher aes = aes(Cipher.DECRYPT_MODE, iv);
      Mac file = mac();
      file.update(iv);
      Mac chunks = mac();
      byte[] header = header(context, iv);
      MessageDigest sha = digest ? MessageDigest.getInstance("SHA-256") : null;
      try (Pipeline writer =
          new Pipeline(
              (slot, read, made) -> {
                if (sha != null) {
                  sha.update(slot.made, 0, made);
                }
                out.write(slot.made, 0, made);
              })) {
        for (long index = 0; ; index++) {
          Slot slot = writer.slot();
          int n = in.readNBytes(slot.read, 0, CHUNK + TAG);
          if (n < TAG) {
            throw new Forged(sealed.getFileName() + " is cut short");
          }
          int c = n - TAG;
          boolean last = n < CHUNK + TAG;
          byte[] tag = tag(chunks, header, index, last, slot.read, c);
          if (!MessageDigest.isEqual(tag, java.util.Arrays.copyOfRange(slot.read, c, n))) {
            throw new Forged(sealed.getFileName() + " was changed (chunk " + index + ")");
          }
          file.update(tag);
          writer.submit(slot, c, aes.update(slot.read, 0, c, slot.made));
          if (last) {
            if (in.read() != -1) {
              throw new Forged(sealed.getFileName() + " goes on after its last chunk");
            }
            break;
          }
        }
      }
      return new Opened(
          HexFormat.of().formatHex(file.doFinal()),
          sha == null ? null : HexFormat.of().formatHex(sha.digest()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A sealed file whose chunks are not the ones written for it. */
  static final class Forged extends IOException {
    Forged(String why) {
      super(why);
    }
  }

  private static final int CHUNK = BUFFER;
  private static final int TAG = 32;

  private static byte[] header(String context, byte[] iv) {
    byte[] c = context.getBytes(StandardCharsets.UTF_8);
    return java.nio.ByteBuffer.allocate(4 + c.length + iv.length)
        .putInt(c.length)
        .put(c)
        .put(iv)
        .array();
  }

  private static byte[] tag(
      Mac mac, byte[] header, long index, boolean last, byte[] ciphertext, int length) {
    mac.update(header);
    mac.update(java.nio.ByteBuffer.allocate(9).putLong(index).put((byte) (last ? 1 : 0)).array());
    mac.update(ciphertext, 0, length);
    return mac.doFinal();
  }

  /** What decrypting gave: the HMAC of the sealed bytes, the SHA-256 of the plain ones if asked. */
  record Opened(String hmac, String sha256) {}

  /**
   * Decrypts a sealed file of formats 1 and 2 (one HMAC for the whole file) in one pass, computing
   * the HMAC of what it read as well (and the SHA-256 of the plain bytes when {@code digest}, for
   * an exit bundle's manifest), the plain bytes written to {@code out} (left open): the caller
   * compares the HMAC with the manifest before it uses what was written. This thread reads and
   * decrypts; another computes the HMAC and writes.
   */
  Opened decrypt(Path sealed, OutputStream out, boolean digest) throws IOException {
    try (InputStream in = Files.newInputStream(sealed)) {
      byte[] iv = in.readNBytes(16);
      if (iv.length != 16) {
        throw new IOException("a backup file is too short: " + sealed.getFileName());
      }
      Cipher aes = aes(Cipher.DECRYPT_MODE, iv);
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
    // A chunk and its HMAC as read (format 3), and what AES makes of as many bytes.
    final byte[] read = new byte[CHUNK + TAG];
    final byte[] made = new byte[CHUNK + TAG + 16];
    long index;
    boolean last;
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

  /** AES-256 in counter mode from this IV, with the encryption key. */
  private Cipher aes(int mode, byte[] iv) throws GeneralSecurityException {
    Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
    aes.init(mode, new SecretKeySpec(encryption, "AES"), new IvParameterSpec(iv));
    return aes;
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
