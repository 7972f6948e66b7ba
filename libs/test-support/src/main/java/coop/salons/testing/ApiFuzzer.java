package coop.salons.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Schemathesis (from PyPI, in a virtualenv made once under {@code ~/.cache/salons}) run against a
 * service's own OpenAPI: generated requests, valid and invalid, every phase including the stateful
 * one (links between operations), as a signed-in person. The checks: no answer 5xx, every status
 * documented, every body and content type as the document says.
 */
public final class ApiFuzzer {

  /** The schemathesis version, pinned here only. */
  public static final String VERSION = "4.32.5";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a run did: how many requests, each failure schemathesis reported, and how many times the
   * tool itself faulted (see {@link #CPYTHON_AST_FAULT}).
   */
  public record Result(int requests, List<String> failures, int toolFaults, String output) {}

  /**
   * The one error of the tool itself a run may report without failing: CPython 3.11's {@code ast}
   * module raising {@code SystemError} ("AST constructor recursion depth mismatch") while
   * hypothesis describes a strategy. It stops the generation for one operation and phase; the other
   * phases still cover that operation. Any other error fails the run.
   */
  static final String CPYTHON_AST_FAULT = "SystemError";

  private ApiFuzzer() {}

  /**
   * Whether the tool's printed errors, in the section of this operation, end in CPython's {@code
   * SystemError: AST constructor recursion depth mismatch}.
   */
  static boolean astFaultPrinted(String output, String label) {
    int at = output.indexOf(" " + label + " ");
    if (label.isEmpty() || at < 0) {
      return false;
    }
    int next = output.indexOf("\n____", at + label.length());
    String section = output.substring(at, next < 0 ? output.length() : next);
    return section.contains("SystemError: AST constructor recursion depth mismatch");
  }

  /**
   * Fuzzes the service at {@code baseUrl} with {@code examples} cases per operation and phase; the
   * reports land in {@code reportDir}.
   */
  public static Result run(String baseUrl, String token, int examples, Path reportDir)
      throws IOException, InterruptedException {
    Path st = install();
    Files.createDirectories(reportDir);
    Path events = reportDir.resolve("events.ndjson");
    Files.deleteIfExists(events);
    List<String> command =
        new ArrayList<>(
            List.of(
                st.toString(),
                "run",
                baseUrl + "/q/openapi?format=json",
                "--url",
                baseUrl,
                "-H",
                "Authorization: Bearer " + token,
                "--checks",
                "not_a_server_error,status_code_conformance,content_type_conformance,"
                    + "response_schema_conformance",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-examples",
                String.valueOf(examples),
                "--workers",
                "2",
                "--seed",
                "20261203",
                // Strict patterns (slugs, URLs) make hypothesis discard many drafts: not a failure.
                "--suppress-health-check",
                "filter_too_much,too_slow,large_base_example",
                "--generation-database",
                "none",
                "--exclude-path-regex",
                "^/test-only/",
                "--request-timeout",
                "30",
                "--no-color",
                "--output-truncate",
                "true",
                "--report",
                "ndjson,junit",
                "--report-dir",
                reportDir.toString(),
                "--report-ndjson-path",
                events.toString()));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(reportDir.resolve("output.txt").toFile())
            .start();
    if (!p.waitFor(20, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("schemathesis did not finish in 20 minutes");
    }
    String output = Files.readString(reportDir.resolve("output.txt"), StandardCharsets.UTF_8);
    int requests = 0;
    List<String> failures = new ArrayList<>();
    int toolFaults = 0;
    for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
      JsonNode event = JSON.readTree(line);
      JsonNode error = event.path("NonFatalError").path("value");
      if (!error.isMissingNode()) {
        String label = event.path("NonFatalError").path("label").asText();
        boolean astFault =
            CPYTHON_AST_FAULT.equals(error.path("type").asText())
                && error.path("message").asText().startsWith("AST constructor recursion depth");
        // The same fault met twice by hypothesis is reported as a FlakyFailure; the printed
        // traceback of that operation names it.
        boolean flakyAstFault =
            "FlakyFailure".equals(error.path("type").asText()) && astFaultPrinted(output, label);
        if (astFault || flakyAstFault) {
          toolFaults++; // CPython 3.11's ast module inside hypothesis, not an answer of the API
        } else {
          failures.add(
              event.path("NonFatalError").path("label").asText()
                  + ": "
                  + error.path("type").asText()
                  + " "
                  + error.path("message").asText());
        }
        continue;
      }
      JsonNode scenario = event.path("ScenarioFinished");
      if (scenario.isMissingNode()) {
        continue;
      }
      for (JsonNode c : scenario.path("recorder").path("checks")) {
        for (JsonNode check : c) {
          if ("FAILURE".equalsIgnoreCase(check.path("status").asText())) {
            failures.add(
                check.path("name").asText() + ": " + check.path("failure_info").toString());
          }
        }
      }
      requests += scenario.path("recorder").path("interactions").size();
    }
    if (p.exitValue() != 0 && failures.isEmpty() && toolFaults == 0) {
      failures.add("schemathesis ended with " + p.exitValue() + " (see output.txt)");
    }
    return new Result(requests, failures, toolFaults, output);
  }

  /** The {@code st} command, installed with pip into a virtualenv of its own the first time. */
  static synchronized Path install() throws IOException, InterruptedException {
    Path venv =
        Path.of(System.getProperty("user.home"), ".cache", "salons", "schemathesis-" + VERSION);
    Path done = venv.resolve(".installed");
    if (Files.exists(done)) {
      return venv.resolve("bin/st");
    }
    exec(List.of("python3", "-m", "venv", "--clear", venv.toString()));
    exec(
        List.of(
            venv.resolve("bin/pip").toString(),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "schemathesis==" + VERSION));
    Files.writeString(done, VERSION + "\n");
    return venv.resolve("bin/st");
  }

  private static void exec(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
  }
}
