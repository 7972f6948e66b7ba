package coop.salons.provisioning.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.WebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A command run in a pod's container through the API server (its {@code exec} subresource), over
 * the WebSocket protocol {@code v5.channel.k8s.io}: each message's first byte names its stream (0
 * input, 1 output, 2 errors, 3 the final status, 255 "this stream is closed"). Written here rather
 * than taken from fabric8's {@code exec}, which speaks v4 (a command's input can never be ended)
 * and drops output that arrives after the command has ended but before it is read. The connection
 * and its credentials are fabric8's.
 *
 * <p>Output is read as it comes, at the reader's pace: no more than {@link #AHEAD} bytes are held
 * before the next message is asked for.
 */
final class PodExec implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int AHEAD = 4 * 1024 * 1024;
  private static final int FRAME = 64 * 1024;
  private static final int ERRORS_KEPT = 16 * 1024;

  private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();
  private final StringBuilder errors = new StringBuilder();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final CompletableFuture<WebSocket> socket;
  private long held;
  private boolean waiting; // a message was asked for and has not come
  private boolean ended;
  private Throwable failure;
  private String status;

  private PodExec(KubernetesClient client, URI uri) {
    this.socket =
        client
            .getHttpClient()
            .newWebSocketBuilder()
            .subprotocol("v5.channel.k8s.io")
            .uri(uri)
            .connectTimeout(30, TimeUnit.SECONDS)
            .buildAsync(new Listener());
  }

  /** Runs {@code command} in the container; {@code input}: it reads what {@link #input()} sends. */
  static PodExec start(
      KubernetesClient client,
      String namespace,
      String pod,
      String container,
      boolean input,
      List<String> command)
      throws IOException {
    StringBuilder q = new StringBuilder();
    q.append("container=").append(encode(container));
    for (String word : command) {
      q.append("&command=").append(encode(word));
    }
    q.append("&stdin=").append(input).append("&stdout=true&stderr=true");
    String base = client.getConfiguration().getMasterUrl();
    URI uri =
        URI.create(
            (base.endsWith("/") ? base : base + "/")
                + "api/v1/namespaces/"
                + encode(namespace)
                + "/pods/"
                + encode(pod)
                + "/exec?"
                + q);
    PodExec exec = new PodExec(client, uri);
    try {
      exec.socket.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IOException("exec into " + pod + " refused: " + cause.getMessage(), cause);
    }
    return exec;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The command's output, as it comes; ends when the command's output does. */
  InputStream output() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return take(b, off, len);
      }
    };
  }

  /** The command's input; closing it ends the input (the command reads its end). */
  OutputStream input() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
          int n = Math.min(len, FRAME);
          ByteBuffer frame = ByteBuffer.allocate(n + 1);
          frame.put((byte) 0).put(b, off, n).flip();
          send(frame);
          off += n;
          len -= n;
        }
      }

      @Override
      public void close() throws IOException {
        send(ByteBuffer.wrap(new byte[] {(byte) 255, 0}));
      }
    };
  }

  private void send(ByteBuffer frame) throws IOException {
    WebSocket ws = socket.join();
    // At most a few frames queued: the rest waits here, at the pace of the connection.
    while (ws.queueSize() > 4L * FRAME) {
      if (exit.isDone()) {
        throw new IOException("the command ended before it read its input");
      }
      sleep(5);
    }
    if (!ws.send(frame)) {
      throw new IOException("the exec connection is closed");
    }
  }

  /** The command's exit code, once it has ended. */
  int exitCode(Duration within) throws IOException {
    try {
      return exit.get(within.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("did not end in " + within.toMinutes() + " minutes", e);
    }
  }

  /** What the final status says beyond the exit code (why the command could not run), or "". */
  synchronized String statusMessage() {
    try {
      return status == null ? "" : JSON.readTree(status).path("message").asText("");
    } catch (IOException e) {
      return status;
    }
  }

  /** The end of what the command wrote to its errors. */
  synchronized String errors() {
    return errors.toString().trim();
  }

  @Override
  public void close() {
    socket.thenAccept(ws -> ws.sendClose(1000, "done"));
  }

  private synchronized int take(byte[] b, int off, int len) throws IOException {
    while (output.isEmpty()) {
      if (failure != null) {
        throw new IOException("the exec connection failed: " + failure.getMessage(), failure);
      }
      if (ended) {
        return -1;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    ByteBuffer head = output.peek();
    int n = Math.min(len, head.remaining());
    head.get(b, off, n);
    if (!head.hasRemaining()) {
      output.poll();
    }
    held -= n;
    askIfRoom();
    return n;
  }

  /** Asks for the next message when none is asked for and there is room for it. */
  private synchronized void askIfRoom() {
    if (!waiting && !ended && held < AHEAD && socket.isDone()) {
      waiting = true;
      socket.join().request();
    }
  }

  private final class Listener implements WebSocket.Listener {
    @Override
    public void onOpen(WebSocket ws) {
      synchronized (PodExec.this) {
        waiting = true;
      }
      ws.request();
    }

    @Override
    public void onMessage(WebSocket ws, ByteBuffer message) {
      synchronized (PodExec.this) {
        waiting = false;
        if (message.hasRemaining()) {
          int channel = message.get() & 0xff;
          if (channel == 1 && message.hasRemaining()) {
            ByteBuffer copy = ByteBuffer.allocate(message.remaining());
            copy.put(message).flip();
            output.add(copy);
            held += copy.remaining();
            PodExec.this.notifyAll();
          } else if (channel == 2) {
            errors.append(StandardCharsets.UTF_8.decode(message));
            if (errors.length() > ERRORS_KEPT) {
              errors.delete(0, errors.length() - ERRORS_KEPT);
            }
          } else if (channel == 3) {
            status = StandardCharsets.UTF_8.decode(message).toString();
          }
        }
        if (held < AHEAD) {
          waiting = true;
          ws.request();
        }
      }
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      ws.request();
    }

    @Override
    public void onClose(WebSocket ws, int code, String reason) {
      synchronized (PodExec.this) {
        ended = true;
        PodExec.this.notifyAll();
        if (status == null) {
          exit.completeExceptionally(
              new IOException("the exec connection closed without a status (" + code + ")"));
        } else {
          exit.complete(exitCodeOf(status));
        }
      }
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      synchronized (PodExec.this) {
        failure = error;
        ended = true;
        PodExec.this.notifyAll();
        exit.completeExceptionally(error);
      }
    }
  }

  /** The exit code a final status names: 0 on success, the command's code, or -1. */
  static int exitCodeOf(String status) {
    try {
      JsonNode s = JSON.readTree(status);
      if ("Success".equals(s.path("status").asText())) {
        return 0;
      }
      for (JsonNode cause : s.path("details").path("causes")) {
        if ("ExitCode".equals(cause.path("reason").asText())) {
          return Integer.parseInt(cause.path("message").asText());
        }
      }
    } catch (IOException | NumberFormatException e) {
      // An unreadable status is a failure.
    }
    return -1;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
