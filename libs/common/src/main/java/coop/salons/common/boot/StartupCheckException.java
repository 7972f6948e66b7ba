package coop.salons.common.boot;

/** A start-up check that failed; its message names the setting to fix and is shown as is. */
public class StartupCheckException extends RuntimeException {

  public StartupCheckException(String message, Throwable cause) {
    super(message, cause);
  }
}
