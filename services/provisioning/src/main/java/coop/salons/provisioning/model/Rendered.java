package coop.salons.provisioning.model;

import java.util.List;
import java.util.Map;

/**
 * A chat server's rendered configuration: files without secrets (a ConfigMap), files and
 * environment variables with secrets (a Secret), and how to run and probe it.
 *
 * @param command the server's command line, with the configuration files' paths
 * @param healthPath an HTTP path that answers 200 once the server is ready
 * @param writableConfig the server rewrites its configuration file: run it from a copy in the data
 *     folder (Mattermost), not from the read-only configuration folder
 * @param afterStart a command run beside the server each time it starts (empty: none), which waits
 *     for the server itself and always ends in success: on Kubernetes the container's {@code
 *     postStart} hook, locally a process of its own
 */
public record Rendered(
    Map<String, String> configFiles,
    Map<String, String> secretFiles,
    Map<String, String> secretEnv,
    List<String> command,
    int port,
    String healthPath,
    int runAsUser,
    boolean writableConfig,
    List<String> afterStart) {}
