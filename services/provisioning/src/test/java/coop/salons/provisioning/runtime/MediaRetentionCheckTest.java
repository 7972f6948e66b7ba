package coop.salons.provisioning.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code local.media-retention-check} changes only how Synapse is started: the same arguments, the
 * module run through a script that sets its media retention period first (RetentionIT shows Synapse
 * then removes media on that period).
 */
class MediaRetentionCheckTest {

  @Test
  void synapseIsRunThroughAScriptThatSetsThePeriodAndKeepsItsArguments() {
    List<String> command =
        new ArrayList<>(
            List.of(
                "/venv/bin/python",
                "-m",
                "synapse.app.homeserver",
                "--config-path",
                "/data/homeserver.yaml"));
    LocalRuntime.mediaRetentionEvery(command, Duration.ofSeconds(5));
    assertEquals("/venv/bin/python", command.get(0));
    assertEquals("-c", command.get(1));
    assertTrue(command.get(2).contains("MEDIA_RETENTION_CHECK_PERIOD)(seconds=5)"), command.get(2));
    assertTrue(
        command
            .get(2)
            .endsWith(
                "runpy.run_module('synapse.app.homeserver', run_name='__main__',"
                    + " alter_sys=True)"),
        command.get(2));
    assertEquals(List.of("--config-path", "/data/homeserver.yaml"), command.subList(3, 5));
  }

  @Test
  void anotherCommandIsLeftAsItIs() {
    List<String> command = new ArrayList<>(List.of("mattermost", "server"));
    LocalRuntime.mediaRetentionEvery(command, Duration.ofSeconds(5));
    assertEquals(List.of("mattermost", "server"), command);
  }
}
