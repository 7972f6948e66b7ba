package coop.salons.provisioning.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup cipher's sealed files (format 3): every byte given back in order by two threads, each
 * chunk refused before its bytes are used if it was changed, moved, cut or taken from another file;
 * files of the formats before still read.
 */
class BackupCipherTest {

  private static final int CHUNK = 65_536;
  private static final int TAG = 32;

  @TempDir Path dir;

  private final byte[] key = key(7);
  private final BackupCipher cipher = new BackupCipher(key);

  @Test
  void whatIsSealedOpensToTheSameBytesWithTheHmacTheManifestKeeps() throws Exception {
    // Empty, one byte, exactly one chunk (then an empty last one), several chunks read unevenly.
    for (int size : new int[] {0, 1, CHUNK, 1_000_003}) {
      byte[] plain = random(size, size);
      Path sealed = dir.resolve("f" + size + ".enc");
      BackupCipher.Sealed s = cipher.encrypt(new Trickle(plain), sealed, "b/f");
      int chunks = size / CHUNK + 1;
      assertEquals(size, s.bytes());
      assertEquals(16 + size + (long) chunks * TAG, s.encryptedBytes());
      assertEquals(s.encryptedBytes(), Files.size(sealed));

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BackupCipher.Opened o = cipher.decryptChunked(sealed, out, true, "b/f");
      assertArrayEquals(plain, out.toByteArray());
      assertEquals(s.hmac(), o.hmac());
      assertEquals(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plain)), o.sha256());
      assertNull(cipher.decryptChunked(sealed, new ByteArrayOutputStream(), false, "b/f").sha256());
    }
  }

  @Test
  void aChangedChunkIsRefusedBeforeItsBytesAreWritten() throws Exception {
    byte[] plain = random(1, 3 * CHUNK + 100);
    Path sealed = dir.resolve("f.enc");
    cipher.encrypt(new ByteArrayInputStream(plain), sealed, "b/f");
    byte[] bytes = Files.readAllBytes(sealed);
    // One bit of the third chunk's ciphertext.
    int third = 16 + 2 * (CHUNK + TAG) + 10;
    bytes[third] ^= 1;
    Files.write(sealed, bytes);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BackupCipher.Forged e =
        assertThrows(
            BackupCipher.Forged.class, () -> cipher.decryptChunked(sealed, out, false, "b/f"));
    assertTrue(e.getMessage().contains("chunk 2"), e.getMessage());
    // The two chunks before it were given on; nothing of the changed one was.
    assertTrue(out.size() <= 2 * CHUNK, String.valueOf(out.size()));
    assertArrayEquals(Arrays.copyOf(plain, out.size()), out.toByteArray());
  }

  @Test
  void chunksMovedCutOrTakenFromAnotherFileAreRefused() throws Exception {
    byte[] plain = random(2, 3 * CHUNK + 100);
    Path sealed = dir.resolve("f.enc");
    cipher.encrypt(new ByteArrayInputStream(plain), sealed, "b/f");
    byte[] bytes = Files.readAllBytes(sealed);
    int c = CHUNK + TAG;

    // Two chunks swapped.
    byte[] swapped = bytes.clone();
    System.arraycopy(bytes, 16, swapped, 16 + c, c);
    System.arraycopy(bytes, 16 + c, swapped, 16, c);
    assertForged(swapped, "b/f");
    // Cut after a whole chunk: the short last chunk is missing.
    assertForged(Arrays.copyOf(bytes, 16 + 2 * c), "b/f");
    // Cut inside a chunk.
    assertForged(Arrays.copyOf(bytes, bytes.length - 50), "b/f");
    // Something after the last chunk.
    assertForged(Arrays.copyOf(bytes, bytes.length + 1), "b/f");
    // The same file read as another one (another backup's, or another name).
    assertForged(bytes, "b/g");
    // Another key.
    Path other = dir.resolve("other.enc");
    Files.write(other, bytes);
    assertThrows(
        BackupCipher.Forged.class,
        () ->
            new BackupCipher(key(8))
                .decryptChunked(other, new ByteArrayOutputStream(), false, "b/f"));
  }

  @Test
  void aWholeFileSwappedForAnotherOfTheSameNameChangesTheHmac() throws Exception {
    // Two backups of the same file: each chunk is valid for its own IV, so only the manifest's
    // HMAC (over the IV and every chunk's HMAC) tells them apart.
    Path a = dir.resolve("a.enc");
    Path b = dir.resolve("b.enc");
    byte[] plain = random(3, 200_000);
    BackupCipher.Sealed first = cipher.encrypt(new ByteArrayInputStream(plain), a, "b/f");
    BackupCipher.Sealed second = cipher.encrypt(new ByteArrayInputStream(plain), b, "b/f");
    assertNotEquals(first.hmac(), second.hmac());
    assertEquals(
        second.hmac(), cipher.decryptChunked(b, new ByteArrayOutputStream(), false, "b/f").hmac());
  }

  @Test
  void filesOfTheFormatsBeforeAreStillRead() throws Exception {
    byte[] plain = random(4, 300_000);
    Path sealed = dir.resolve("old.enc");
    String hmac = sealFormat2(plain, sealed);
    assertEquals(hmac, cipher.hmacOf(sealed));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BackupCipher.Opened o = cipher.decrypt(sealed, out, false);
    assertArrayEquals(plain, out.toByteArray());
    assertEquals(hmac, o.hmac());
  }

  @Test
  void aWriteThatFailsIsThrownNotLost() throws Exception {
    Path sealed = dir.resolve("f.enc");
    cipher.encrypt(new ByteArrayInputStream(new byte[500_000]), sealed, "b/f");
    OutputStream full =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("no space left on device");
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("no space left on device");
          }
        };
    IOException e =
        assertThrows(IOException.class, () -> cipher.decryptChunked(sealed, full, false, "b/f"));
    assertEquals("no space left on device", e.getMessage());
  }

  private void assertForged(byte[] bytes, String context) throws IOException {
    Path f = dir.resolve("forged.enc");
    Files.write(f, bytes);
    assertThrows(
        BackupCipher.Forged.class,
        () -> cipher.decryptChunked(f, new ByteArrayOutputStream(), false, context));
  }

  /** Format 2 as it was written: IV, AES-CTR of everything, one HMAC of IV and ciphertext. */
  private String sealFormat2(byte[] plain, Path sealed) throws Exception {
    Mac derive = Mac.getInstance("HmacSHA256");
    derive.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] enc = derive.doFinal("salons backup encryption".getBytes(StandardCharsets.UTF_8));
    byte[] auth = derive.doFinal("salons backup authentication".getBytes(StandardCharsets.UTF_8));
    byte[] iv = random(5, 16);
    Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(enc, "AES"), new IvParameterSpec(iv));
    byte[] c = aes.doFinal(plain);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(auth, "HmacSHA256"));
    mac.update(iv);
    mac.update(c);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(iv);
    out.write(c);
    Files.write(sealed, out.toByteArray());
    return HexFormat.of().formatHex(mac.doFinal());
  }

  private static byte[] random(int seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] key(int seed) {
    return random(seed, 32);
  }

  /** A stream that gives its bytes a few thousand at a time, as a pipe does. */
  private static final class Trickle extends InputStream {
    private final byte[] bytes;
    private final Random sizes = new Random(3);
    private int at;

    Trickle(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() {
      return at < bytes.length ? bytes[at++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (at >= bytes.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + sizes.nextInt(9000)), bytes.length - at);
      System.arraycopy(bytes, at, b, off, n);
      at += n;
      return n;
    }
  }
}
