package coop.salons.provisioning.runtime;

/** A failure that retrying cannot fix (a missing binary, a refused setting): FAILED at once. */
public class PermanentFailure extends RuntimeException {
  public PermanentFailure(String message) {
    super(message);
  }
}
