package coop.salons.common.boot;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The entry point of every Salons service. It starts Quarkus and, when start-up fails, prints one
 * clear sentence that names the setting to fix instead of a wall of stack traces (the full trace is
 * printed only with {@code SALONS_DEBUG=true}).
 */
@QuarkusMain
public class SalonsMain {

  public static void main(String... args) {
    Quarkus.run(
        null,
        (exitCode, failure) -> {
          if (failure != null) {
            System.err.println(StartupFailure.explain(failure));
            if (Boolean.parseBoolean(System.getenv("SALONS_DEBUG"))) {
              failure.printStackTrace();
            }
          }
          System.exit(exitCode);
        },
        args);
  }
}
