package coop.salons.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The chart's nginx configuration of the shared Element Web, run by the machine's real nginx (as
 * the image runs it, minus the image): what one host is answered at {@code /config.json}.
 */
final class WebClientNginx {

  private WebClientNginx() {}

  static JsonNode configFor(String template, String host) throws Exception {
    Path dir = Files.createTempDirectory("element-web-nginx");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path app = Files.createDirectories(dir.resolve("app"));
    Files.writeString(app.resolve("index.html"), "<!doctype html><title>Element</title>");
    String server =
        template
            .replace("${ELEMENT_WEB_PORT}", "127.0.0.1:" + port)
            .replace("root /app;", "root " + app + ";");
    String conf =
        String.join(
            "\n",
            "daemon off;",
            "pid " + dir.resolve("nginx.pid") + ";",
            "error_log " + dir.resolve("error.log") + ";",
            "events {}",
            "http {",
            "  access_log off;",
            "  client_body_temp_path " + dir.resolve("body") + ";",
            "  proxy_temp_path " + dir.resolve("proxy") + ";",
            "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
            "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
            "  scgi_temp_path " + dir.resolve("scgi") + ";",
            server,
            "}");
    Files.writeString(dir.resolve("nginx.conf"), conf);
    Process nginx =
        new ProcessBuilder(
                nginx(),
                "-p",
                dir.toString(),
                "-e",
                dir.resolve("error.log").toString(),
                "-c",
                dir.resolve("nginx.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.log").toFile())
            .start();
    try {
      String answer = null;
      for (int tries = 0; answer == null && tries < 100; tries++) {
        if (!nginx.isAlive()) {
          throw new IllegalStateException(
              "nginx stopped: " + Files.readString(dir.resolve("out.log")));
        }
        try {
          answer = get(port, host, "/config.json");
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      if (answer == null) {
        throw new IllegalStateException("nginx does not answer");
      }
      String[] parts = answer.split("\r\n\r\n", 2);
      if (!parts[0].startsWith("HTTP/1.1 200") || !parts[0].contains("application/json")) {
        throw new IllegalStateException(parts[0]);
      }
      return JsonMapper.builder().build().readTree(parts[1]);
    } finally {
      nginx.destroy();
      nginx.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The machine's nginx (Debian puts it in /usr/sbin, which a user's PATH may not hold). */
  private static String nginx() {
    Path sbin = Path.of("/usr/sbin/nginx");
    return Files.isExecutable(sbin) ? sbin.toString() : "nginx";
  }

  /** A request with the Host header a browser sends (the JDK's client will not set that one). */
  private static String get(int port, String host, String path) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
