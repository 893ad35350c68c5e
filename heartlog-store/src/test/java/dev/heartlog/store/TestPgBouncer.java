package dev.heartlog.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PgBouncer (Debian's {@code pgbouncer}; {@code .ci/run} installs it) in front of a test
 * database, in the pool mode asked for, with two backends. Without the program the calling test
 * is skipped. Debian 12's PgBouncer (1.18) keeps no track of prepared statements in transaction
 * mode, as Supabase's Supavisor does not there, and refuses startup options ({@code -c ...}).
 */
public final class TestPgBouncer implements AutoCloseable {

  private static final Path PGBOUNCER = Path.of("/usr/sbin/pgbouncer");

  private final Path folder;
  private final Process process;
  private final String url;

  private TestPgBouncer(Path folder, Process process, String url) {
    this.folder = folder;
    this.process = process;
    this.url = url;
  }

  /**
   * Starts PgBouncer in front of the database of {@code databaseUrl} and waits until it answers.
   *
   * @param poolMode {@code transaction} or {@code session}
   */
  public static TestPgBouncer start(String databaseUrl, String poolMode) throws IOException, InterruptedException {
    Assumptions.assumeTrue(Files.isExecutable(PGBOUNCER), "Debian's pgbouncer is needed (apt-get install pgbouncer)");
    URI database = URI.create(databaseUrl.substring("jdbc:".length()));
    Map<String, String> query = new LinkedHashMap<>();
    for (String pair : database.getQuery().split("&")) {
      String[] keyValue = pair.split("=", 2);
      query.put(keyValue[0], keyValue.length > 1 ? keyValue[1] : "");
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    // Readable by the user PgBouncer switches to when started as root (it refuses to run as root).
    Path folder = Files.createTempDirectory("heartlog-pgbouncer",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    String credentials = "user=" + query.get("user") + (query.containsKey("password") ? " password=" + query.get("password") : "");
    Path config = Files.writeString(folder.resolve("pgbouncer.ini"), String.join("\n",
        "[databases]",
        "* = host=" + database.getHost() + " port=" + database.getPort() + " " + credentials,
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        "listen_port = " + port,
        "unix_socket_dir =",
        "auth_type = any",
        "pool_mode = " + poolMode,
        "default_pool_size = 2",
        ""));
    List<String> command = new ArrayList<>(List.of(PGBOUNCER.toString(), "-q"));
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("-u", "nobody"));
    }
    command.add(config.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(folder.resolve("pgbouncer.log").toFile()).start();
    String url = "jdbc:postgresql://127.0.0.1:" + port + database.getPath() + "?user=" + query.get("user")
        + (query.containsKey("password") ? "&password=" + query.get("password") : "");
    TestPgBouncer bouncer = new TestPgBouncer(folder, process, url);
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!bouncer.accepts()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String log = Files.readString(folder.resolve("pgbouncer.log"));
        bouncer.close();
        throw new IllegalStateException("pgbouncer did not start: " + log);
      }
      Thread.sleep(50);
    }
    return bouncer;
  }

  /** The JDBC URL of the database through PgBouncer. */
  public String url() {
    return url;
  }

  private boolean accepts() {
    try (Connection connection = DriverManager.getConnection(url)) {
      return connection.isValid(1);
    } catch (SQLException notYet) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
