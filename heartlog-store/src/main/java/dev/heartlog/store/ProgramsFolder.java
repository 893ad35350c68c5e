package dev.heartlog.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the embedded server's programs (initdb, pg_ctl, postgres) are unpacked and run from. The
 * library unpacks them in the JVM's temporary folder, which a hardened machine mounts {@code
 * noexec} (as the CIS benchmarks ask of {@code /tmp}): there, initdb could not run, and the
 * command said only that a process failed. Such a folder is passed over for one in the home
 * folder.
 */
final class ProgramsFolder {

  /** The file systems mounted now, one a line: device, mount point, type, options, ... */
  private static final Path MOUNTS = Path.of("/proc/self/mounts");

  private ProgramsFolder() {}

  /**
   * The folder to unpack the server's programs in: the library's ({@code ot.epg.working-dir},
   * else {@code embedded-pg} in {@code java.io.tmpdir}), else {@code postgres-programs} in {@code
   * home} where programs may not run from the first.
   *
   * @throws IOException when programs may run from neither
   */
  static Path choose(Path home) throws IOException {
    Path library = Path.of(System.getProperty("ot.epg.working-dir",
        Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString())).toAbsolutePath();
    List<String> mounts = Files.isReadable(MOUNTS) ? Files.readAllLines(MOUNTS, StandardCharsets.UTF_8) : List.of();
    Optional<String> libraryMount = noexecMount(library, mounts);
    if (libraryMount.isEmpty()) {
      return library;
    }
    Path own = home.toAbsolutePath().resolve("postgres-programs");
    Optional<String> ownMount = noexecMount(own, mounts);
    if (ownMount.isEmpty()) {
      return own;
    }
    String mounted = libraryMount.equals(ownMount) ? "a file system mounted noexec (" + ownMount.get() + ")"
        : "file systems mounted noexec (" + libraryMount.get() + ", " + ownMount.get() + ")";
    throw new IOException("PostgreSQL's programs cannot run from " + library + " or " + own + ", on " + mounted
        + ": give --home a folder on one that allows programs, or --db-url");
  }

  /**
   * The mount point of the file system {@code folder} is on, if it is mounted {@code noexec}:
   * the mount whose point is the longest that holds the folder (or, for one not made yet, the
   * nearest folder above it that is).
   */
  static Optional<String> noexecMount(Path folder, List<String> mounts) throws IOException {
    Path real = existing(folder.toAbsolutePath().normalize());
    String bestPoint = null;
    boolean bestNoexec = false;
    for (String line : mounts) {
      String[] fields = line.split(" ");
      if (fields.length < 4) {
        continue;
      }
      String point = unescape(fields[1]);
      if (real.startsWith(Path.of(point)) && (bestPoint == null || point.length() >= bestPoint.length())) {
        bestPoint = point;
        bestNoexec = List.of(fields[3].split(",")).contains("noexec");
      }
    }
    return bestNoexec ? Optional.of(bestPoint) : Optional.empty();
  }

  /** The folder with its links resolved, or that of the nearest folder above it that exists. */
  private static Path existing(Path folder) throws IOException {
    Path path = folder;
    while (path != null && !Files.exists(path)) {
      path = path.getParent();
    }
    return path == null ? folder : path.toRealPath();
  }

  /** A mount point as the kernel writes it: space, tab, newline and backslash in octal ({@code \040}). */
  private static String unescape(String field) {
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
  }
}
