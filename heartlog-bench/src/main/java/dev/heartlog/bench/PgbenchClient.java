package dev.heartlog.bench;

import java.io.File;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IngestLoad's other client: {@code pgbench} (PostgreSQL's own load generator, written in C), as
 * the figures were measured, so that next to no client work shares the 2 cores with the
 * store. The batches are IngestLoad's own, built once into a pool: a table {@code
 * bench_batches} for the functions, one CSV file per batch for COPY; each transaction sends one
 * batch picked at random from the pool. The pool repeats its records (each batch several times
 * in a run), the same for every variant.
 *
 * <p>What each transaction does:
 *
 * <ul>
 *   <li>the functions: read the batch's JSON text from the pool and cast it to {@code jsonb},
 *       as the wire's text arrives, and call the function with it
 *   <li>COPY: {@code COPY system_logs ... FROM} the batch's file, read by the server
 * </ul>
 */
final class PgbenchClient {

  /**
   * The agent's metadata as each call sends it: the pool's, with the worker's clock read as the
   * call is made in front ({@code sent_at_ms}), one text cast to {@code jsonb} as the wire's is.
   */
  private static final String CLOCKED_METADATA = "('{\"sent_at_ms\":' || floor(extract(epoch FROM clock_timestamp()) * 1000)"
      + " || ',' || substr(b.metadata, 2))::jsonb";

  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

  private final String variant;
  private final String url;
  private final int pool;
  private final Path script;

  private PgbenchClient(String variant, String url, int pool, Path script) {
    this.variant = variant;
    this.url = url;
    this.pool = pool;
    this.script = script;
  }

  /** Builds the variant's pool of {@code pool} batches and its pgbench script. */
  static PgbenchClient prepare(String url, String variant, int pool) throws SQLException, IOException {
    // Readable by all: COPY's server process reads the batch files, and a server of one's own
    // (-Dheartlog.bench.server) runs as another user than the benchmark (Debian's: postgres).
    Path dir = Files.createTempDirectory("heartlog-pgbench-" + variant + "-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    dir.toFile().deleteOnExit();
    String sql;
    if (variant.startsWith("copy")) {
      for (int i = 1; i <= pool; i++) {
        Files.writeString(dir.resolve("batch-" + i + ".csv"), IngestBatches.build(variant, "pgbench-pool", i).logs(),
            StandardCharsets.UTF_8);
      }
      // pgbench puts :i into the file name (simple protocol: the text is substituted as it is).
      sql = "COPY system_logs (timestamp, level, message, source_type, source_id, task_id, metadata, session_id, seq) "
          + "FROM '" + dir + "/batch-:i.csv' (FORMAT csv);";
    } else {
      try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
        // Stored as it is: compressed, every read would pay for decompressing it as well.
        statement.execute("CREATE TABLE bench_batches (id integer PRIMARY KEY, worker text, task text, "
            + "logs text, metadata text)");
        statement.execute("ALTER TABLE bench_batches ALTER COLUMN logs SET STORAGE EXTERNAL");
        statement.execute("CREATE SEQUENCE bench_batch_seq");
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO bench_batches VALUES (?, ?, ?, ?, ?)")) {
          for (int i = 1; i <= pool; i++) {
            IngestBatches.Batch batch = IngestBatches.build(variant, "pgbench-pool", i);
            insert.setInt(1, i);
            insert.setString(2, batch.worker());
            insert.setString(3, batch.task());
            insert.setString(4, batch.logs());
            insert.setString(5, batch.metadata());
            insert.addBatch();
            if (i % 200 == 0) {
              insert.executeBatch();
            }
          }
          insert.executeBatch();
        }
        statement.execute("VACUUM ANALYZE bench_batches");
      }
      if (variant.startsWith("heartlog")) {
        // A session per pgbench client, its batches numbered by one sequence: every number is
        // new, so every batch is stored, through the same dedupe as the agent's.
        sql = "SELECT func_worker_heartbeat_with_logs(worker_id_param => b.worker, vram_total_mb_param => 81559, "
            + "vram_used_mb_param => 40000, logs_param => b.logs::" + IngestVariants.logsType(variant)
            + ", current_task_id_param => b.task, "
            + "session_id_param => 'pgbench-' || :client_id, batch_seq_param => nextval('bench_batch_seq'), "
            + "metadata_param => " + CLOCKED_METADATA + ") FROM bench_batches b WHERE b.id = :i;";
      } else {
        String function = variant.equals("seed") ? "func_worker_heartbeat_with_logs" : "func_worker_heartbeat_with_logs_row_loop";
        sql = "SELECT " + function + "(b.worker, 81559, 40000, b.logs::jsonb, b.task) FROM bench_batches b WHERE b.id = :i;";
      }
    }
    Path script = dir.resolve("transaction.sql");
    Files.writeString(script, "\\set i random(1, " + pool + ")\n" + sql + "\n", StandardCharsets.UTF_8);
    return new PgbenchClient(variant, url, pool, script);
  }

  /** One slice: {@code streams} pgbench clients for {@code seconds} (whole seconds, at least 1). */
  IngestLoad.Result run(int streams, long millis) throws IOException, InterruptedException {
    Matcher address = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)").matcher(url);
    if (!address.lookingAt()) {
      throw new IllegalArgumentException("not a JDBC URL pgbench can follow: " + url);
    }
    long seconds = Math.max(1, Math.round(millis / 1000.0));
    List<String> command = List.of("pgbench", "-n", "-h", address.group(1), "-p", address.group(2),
        "-U", urlParameter("user").orElse("postgres"),
        "-c", String.valueOf(streams), "-j", String.valueOf(Math.min(streams, 2)), "-T", String.valueOf(seconds),
        // COPY takes the simple protocol, where :i is substituted into the file name; the
        // functions' calls are prepared once per connection, as the JDBC driver does.
        "-M", variant.startsWith("copy") ? "simple" : "prepared",
        "-f", script.toString(), address.group(3));
    ProcessBuilder pgbench = new ProcessBuilder(command).redirectErrorStream(true)
        // The URL's password, where pgbench reads one; and never a prompt that would wait forever.
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    urlParameter("password").ifPresent(password -> pgbench.environment().put("PGPASSWORD", password));
    Process process = pgbench.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    Matcher tps = TPS.matcher(output);
    if (exit != 0 || !tps.find() || output.contains("aborted")) {
      throw new IllegalStateException("pgbench failed for " + variant + " (exit " + exit + "):\n" + output);
    }
    double transactionsPerSecond = Double.parseDouble(tps.group(1));
    return new IngestLoad.Result(Math.round(transactionsPerSecond * seconds * IngestBatches.BATCH), seconds);
  }

  /** A parameter of the JDBC URL's query ({@code user}, {@code password}), decoded. */
  private Optional<String> urlParameter(String name) {
    int query = url.indexOf('?');
    if (query < 0) {
      return Optional.empty();
    }
    for (String pair : url.substring(query + 1).split("&")) {
      if (pair.startsWith(name + "=")) {
        return Optional.of(URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "pgbench, %s, pool of %d batches", variant, pool);
  }
}
