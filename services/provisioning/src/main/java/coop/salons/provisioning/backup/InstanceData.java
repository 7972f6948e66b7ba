package coop.salons.provisioning.backup;

import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.Placement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where a backup reads an instance's database and files and a restore writes them back: on this
 * machine ({@link LocalData}), or through a pod beside the instance's volume on Kubernetes ({@link
 * PodData}, docs/adr/0037). Everything else of a backup (encryption, manifest, storage) is the same
 * on both.
 */
interface InstanceData {

  /** Opens the instance's data; what is opened is closed with the returned access. */
  Access open(InstanceSpec spec, Placement placement) throws IOException;

  /** The instance's data, open. */
  interface Access extends AutoCloseable {

    /** The database in {@code pg_dump}'s custom format, as it is written; errors to {@code log}. */
    Output dump(Path log) throws IOException;

    /** The files folder ({@code media} or {@code files}) as a tar, the folder at its top. */
    Output files(String folder, Path log) throws IOException;

    /** Reads a dump's table of contents ({@code pg_restore --list}); fails if it cannot. */
    void listDump(Path dump) throws IOException;

    /** Fills the instance's database, made again just before and empty, from a dump. */
    void restoreDump(Path dump) throws IOException;

    /**
     * Replaces the files folder with the one in a tar, or with a folder unpacked already beside the
     * instance's data (the local runtime: it is moved, not copied).
     */
    void replaceFiles(Path files, String folder) throws IOException;

    @Override
    void close() throws IOException;
  }

  /** Bytes a tool writes as it works; {@link #finish()} fails if the tool did. */
  interface Output {
    InputStream stream();

    void finish() throws IOException;
  }
}
