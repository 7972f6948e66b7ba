package coop.salons.testing;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The rule every service keeps (a test of its own calls it): its packages depend on each other one
 * way only. A cycle makes every package in it change with every other, and hides which one is the
 * model and which the use of it.
 */
public final class NoCycles {

  private NoCycles() {}

  /**
   * Fails, naming each cycle's dependencies, if two packages under {@code root} need each other.
   */
  public static void inPackagesOf(String root) {
    slices()
        .matching(root + ".(*)..")
        .should()
        .beFreeOfCycles()
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(root));
  }
}
