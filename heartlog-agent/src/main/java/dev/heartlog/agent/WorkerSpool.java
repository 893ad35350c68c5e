package dev.heartlog.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a worker's batches wait for the store: its {@link Spool} in a folder of its own under the
 * spool directory, so that workers sharing a machine (and a working folder) never share a spool.
 */
final class WorkerSpool {

  private static final int MAX_FOLDER_NAME = 255;   // names that fit are kept as they were

  private WorkerSpool() {}

  /** The spool for this worker, or one batch in memory when there is none or it cannot be used. */
  static BatchQueue open(AgentConfig config, Diagnostics diagnostics, Drops drops) {
    if (config.spoolDirectory() == null) {
      return new MemoryBatchQueue();
    }
    Path directory = config.spoolDirectory().resolve(folderName(config.workerId()));
    try {
      return Spool.open(directory, config.spoolMaxBytes(), config.spoolSync(), config.spoolSyncInterval(),
          diagnostics, drops);
    } catch (IOException | RuntimeException e) {
      diagnostics.info("spool unusable (" + reason(e) + "); records wait in memory only");
      return new MemoryBatchQueue();
    }
  }

  /**
   * Why the spool could not be used. The JDK's exceptions for a path that is missing, refused or
   * taken by a file carry the path alone ({@code /var/lib/heartlog}), which says nothing of why.
   */
  static String reason(Exception e) {
    if (e instanceof FileSystemException f && f.getReason() == null && f.getOtherFile() == null) {
      String why = e instanceof AccessDeniedException ? "permission denied"
          : e instanceof NoSuchFileException ? "does not exist and could not be created"
          : e instanceof FileAlreadyExistsException ? "a file of that name is in the way"
          : e.getClass().getSimpleName();
      return f.getFile() + ": " + why;
    }
    return e.getMessage();
  }

  /**
   * A worker id as a folder name: letters, digits, '.', '_' and '-' kept, the rest '_'. A name
   * longer than {@value #MAX_FOLDER_NAME} characters keeps its start and ends in a hash of the
   * whole id, since file systems refuse names over 255 bytes.
   */
  static String folderName(String workerId) {
    String name = workerId.replaceAll("[^A-Za-z0-9._-]", "_");
    name = name.startsWith(".") ? "_" + name : name;
    if (name.length() <= MAX_FOLDER_NAME) {
      return name;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(workerId.getBytes(StandardCharsets.UTF_8));
      return name.substring(0, MAX_FOLDER_NAME - 33) + "-" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
