package coop.salons.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

  @Test
  void settingsForAMeasurementAreReadAsNameValuePairs() {
    assertEquals(Map.of(), PostgresServer.extraSettings(null));
    assertEquals(Map.of(), PostgresServer.extraSettings("  "));
    assertEquals(
        Map.of("shared_preload_libraries", "pg_stat_statements", "pg_stat_statements.track", "all"),
        PostgresServer.extraSettings(
            " shared_preload_libraries=pg_stat_statements  pg_stat_statements.track=all "));
  }

  @Test
  void aSettingThatIsNotANameAndAValueStopsTheStart() {
    for (String bad :
        new String[] {
          "fsync", "=on", "fsync=", "fsync=on;drop", "Fsync=on", "log_line_prefix='%m'"
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PostgresServer.extraSettings(bad));
      assertEquals("SALONS_POSTGRES_SETTINGS: expected name=value, got " + bad, e.getMessage());
    }
  }
}
