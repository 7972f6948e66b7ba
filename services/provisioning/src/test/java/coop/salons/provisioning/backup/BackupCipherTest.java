package coop.salons.provisioning.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup cipher's two threads give back every byte, in order, and say when they cannot. */
class BackupCipherTest {

  @TempDir Path dir;

  private final BackupCipher cipher = new BackupCipher(key(7));

  @Test
  void whatIsSealedOpensToTheSameBytesWithTheHmacTheManifestKeeps() throws Exception {
    // Several slots' worth, read in uneven pieces (as from a pipe), and an empty file.
    for (int size : new int[] {0, 1, 65_536, 1_000_003}) {
      byte[] plain = new byte[size];
      new Random(size).nextBytes(plain);
      Path sealed = dir.resolve("f" + size + ".enc");
      BackupCipher.Sealed s = cipher.encrypt(new Trickle(plain), sealed);
      assertEquals(size, s.bytes());
      assertEquals(size + 16, s.encryptedBytes());
      assertEquals(size + 16, Files.size(sealed));
      assertEquals(s.hmac(), cipher.hmacOf(sealed));

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BackupCipher.Opened o = cipher.decrypt(sealed, out, true);
      assertArrayEquals(plain, out.toByteArray());
      assertEquals(s.hmac(), o.hmac());
      assertEquals(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plain)), o.sha256());
      assertNull(cipher.decrypt(sealed, dir.resolve("f" + size), false).sha256());
      assertArrayEquals(plain, Files.readAllBytes(dir.resolve("f" + size)));
    }
  }

  @Test
  void oneChangedBitChangesTheHmacAndAnotherKeyReadsNothingTrue() throws Exception {
    byte[] plain = new byte[200_000];
    new Random(1).nextBytes(plain);
    Path sealed = dir.resolve("f.enc");
    BackupCipher.Sealed s = cipher.encrypt(new ByteArrayInputStream(plain), sealed);
    byte[] bytes = Files.readAllBytes(sealed);
    bytes[150_000] ^= 1;
    Files.write(sealed, bytes);
    assertNotEquals(s.hmac(), cipher.hmacOf(sealed));
    assertNotEquals(s.hmac(), new BackupCipher(key(8)).hmacOf(sealed));
  }

  @Test
  void aWriteThatFailsIsThrownNotLost() throws Exception {
    byte[] plain = new byte[500_000];
    Path sealed = dir.resolve("f.enc");
    cipher.encrypt(new ByteArrayInputStream(plain), sealed);
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
    IOException e = assertThrows(IOException.class, () -> cipher.decrypt(sealed, full, false));
    assertEquals("no space left on device", e.getMessage());
  }

  private static byte[] key(int seed) {
    byte[] k = new byte[32];
    new Random(seed).nextBytes(k);
    return k;
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
