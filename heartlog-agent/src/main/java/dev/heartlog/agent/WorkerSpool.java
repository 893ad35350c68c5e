package dev.heartlog.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a worker's batches wait for the store: its {@link Spool} in a folder of its own under the
 * spool directory, so that workers sharing a machine (and a working folder) never share a spool.
 *
 * <p>The folder is named after the worker id, with what a file name cannot hold replaced, so two
 * ids can share a name ({@code render/1} and {@code render_1}; {@code GPU-1} and {@code gpu-1} on
 * a file system that ignores case). The folder's {@value #OWNER_FILE} file names the worker it
 * belongs to; a worker that finds another's name there spools in a folder whose name ends in a
 * hash of its id. Without it, the second worker replayed the first one's batches as its own.
 */
final class WorkerSpool {

  /** The file in a spool folder that names the worker whose folder it is. */
  static final String OWNER_FILE = "worker-id";

  private static final int MAX_FOLDER_NAME = 255;   // names that fit are kept as they were
  private static final int HASH_SUFFIX = 33;         // '-' and 32 hex digits

  private WorkerSpool() {}

  /** The spool for this worker, or one batch in memory when there is none or it cannot be used. */
  static BatchQueue open(AgentConfig config, Diagnostics diagnostics, Drops drops) {
    if (config.spoolDirectory() == null) {
      return new MemoryBatchQueue();
    }
    String workerId = config.workerId();
    Path directory = config.spoolDirectory().resolve(folderName(workerId));
    try {
      String owner = owner(directory);
      if (owner != null && !owner.equals(workerId)) {
        Path own = config.spoolDirectory().resolve(folderOfItsOwn(workerId));
        diagnostics.info("spool folder " + directory + " belongs to worker " + owner + "; this worker spools in " + own);
        directory = own;
      }
      Spool spool = Spool.open(directory, config.spoolMaxBytes(), config.spoolSync(), config.spoolSyncInterval(),
          diagnostics, drops);
      claim(directory, workerId, diagnostics);
      return spool;
    } catch (IOException | RuntimeException e) {
      diagnostics.info("spool unusable (" + FileErrors.describe(e) + "); records wait in memory only");
      return new MemoryBatchQueue();
    }
  }

  /** The worker a spool folder belongs to; null for a new folder, or one made before folders were named. */
  static String owner(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return null;   // Spool.open makes it, or says why it cannot
    }
    try {
      String written = Files.readString(directory.resolve(OWNER_FILE), StandardCharsets.UTF_8);
      return written.endsWith("\n") ? written.substring(0, written.length() - 1) : written;   // ids may hold spaces
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * Names the worker in a folder that names none yet; the spool's lock is held. Written whole
   * (a temporary file moved into place), so that a crash never leaves half a name. A folder that
   * cannot say whose it is still works as a spool.
   */
  private static void claim(Path directory, String workerId, Diagnostics diagnostics) {
    Path ownerFile = directory.resolve(OWNER_FILE);
    if (Files.exists(ownerFile)) {
      return;
    }
    try {
      Path written = Files.writeString(directory.resolve(OWNER_FILE + ".new"), workerId + "\n", StandardCharsets.UTF_8);
      Files.move(written, ownerFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      diagnostics.info("could not name worker " + workerId + " in its spool folder (" + FileErrors.describe(e) + ")");
    }
  }

  /**
   * A worker id as a folder name: letters, digits, '.', '_' and '-' kept, the rest '_'. A name
   * longer than {@value #MAX_FOLDER_NAME} characters keeps its start and ends in a hash of the
   * whole id, since file systems refuse names over 255 bytes.
   */
  static String folderName(String workerId) {
    String name = workerId.replaceAll("[^A-Za-z0-9._-]", "_");
    name = name.startsWith(".") ? "_" + name : name;
    return name.length() <= MAX_FOLDER_NAME ? name : withHash(name, workerId);
  }

  /** The folder of a worker whose {@link #folderName} belongs to another: the name with a hash of the id. */
  static String folderOfItsOwn(String workerId) {
    String name = folderName(workerId);
    return name.length() <= MAX_FOLDER_NAME ? withHash(name, workerId) : name;   // a long one has it already
  }

  private static String withHash(String name, String workerId) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(workerId.getBytes(StandardCharsets.UTF_8));
      String start = name.substring(0, Math.min(name.length(), MAX_FOLDER_NAME - HASH_SUFFIX));
      return start + "-" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
