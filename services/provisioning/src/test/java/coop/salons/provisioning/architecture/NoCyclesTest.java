package coop.salons.provisioning.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The service's packages depend on each other one way only, and so do the classes of the instance
 * package: a cycle makes every part of it change with every other.
 */
class NoCyclesTest {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("coop.salons.provisioning");

  @Test
  void packagesFormNoCycle() {
    coop.salons.testing.NoCycles.inPackagesOf("coop.salons.provisioning");
  }

  @Test
  void theInstancePackagesClassesFormNoCycle() {
    slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass c) {
                if (!c.getPackageName().equals("coop.salons.provisioning.instance")) {
                  return SliceIdentifier.ignore();
                }
                // A nested class belongs with the class it is in.
                String name = c.getName().substring(c.getPackageName().length() + 1);
                int nested = name.indexOf('$');
                return SliceIdentifier.of(nested < 0 ? name : name.substring(0, nested));
              }

              @Override
              public String getDescription() {
                return "the classes of coop.salons.provisioning.instance";
              }
            })
        .should()
        .beFreeOfCycles()
        .check(classes);
  }
}
