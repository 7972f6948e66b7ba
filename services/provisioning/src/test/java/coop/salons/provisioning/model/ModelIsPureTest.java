package coop.salons.provisioning.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The renderers are pure (spec in, files and objects out): no CDI, no database, no HTTP, no file
 * system, no Kubernetes client, no clock or randomness outside the secrets' generator. What they
 * produce is then checked by golden files and by real servers.
 */
class ModelIsPureTest {

  private final JavaClasses model =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("coop.salons.provisioning.model");

  @Test
  void theModelDoesNoInputOrOutput() {
    noClasses()
        .that()
        .resideInAPackage("coop.salons.provisioning.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta..",
            "io.quarkus..",
            "io.fabric8.kubernetes.client..",
            "java.sql..",
            "java.net.http..",
            "java.nio.file..",
            "java.io..",
            "coop.salons.provisioning.runtime..",
            "coop.salons.provisioning.supervisor..",
            "coop.salons.provisioning.instance..")
        .check(model);
  }

  @Test
  void onlyTheSecretsGeneratorUsesRandomness() {
    noClasses()
        .that()
        .resideInAPackage("coop.salons.provisioning.model..")
        .and()
        .doNotHaveSimpleName("InstanceSecrets")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.security.SecureRandom")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.time.Clock")
        .check(model);
  }
}
