package dev.heartlog.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The fleet's newest records, as the viewer's Explore page and a bare {@code heartlog logs} ask
 * for them (no worker, task or level), on the store {@link QueryLoad} filled (run it first). Its
 * records end when it was filled, so "now" is taken as the newest record's time ({@code until});
 * also timed: the same without {@code until}, and a component no record has (every window read,
 * then the whole range).
 *
 * <p>It uses only {@link Store#logs}: the baseline is the build before, run in turn with the
 * same source ({@code java -cp <that build's benchmarks.jar> NewestRecordsLoad.java}).
 *
 * <p>Usage: {@code java -cp heartlog-bench/target/benchmarks.jar
 * dev.heartlog.bench.NewestRecordsLoad [samples=20]}.
 */
public final class NewestRecordsLoad {

  private NewestRecordsLoad() {}

  public static void main(String[] args) throws Exception {
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path data = Path.of(System.getProperty("java.io.tmpdir"), "heartlog-queryload");
    try (EmbeddedPostgres server = EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setServerConfig("shared_buffers", "1GB")
        .start()) {
      String url = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
      HikariConfig pool = new HikariConfig();   // as heartlog serve's pool
      pool.setJdbcUrl(url);
      pool.setMaximumPoolSize(4);
      pool.setConnectionInitSql("SET plan_cache_mode = force_custom_plan");
      try (HikariDataSource dataSource = new HikariDataSource(pool)) {
        Store store = Store.open(dataSource, url);
        Instant end;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
            ResultSet rs = statement.executeQuery("SELECT max(timestamp) FROM system_logs")) {
          rs.next();
          end = rs.getObject(1, java.time.OffsetDateTime.class).toInstant().plusMillis(1);
        }
        System.out.println("records end at " + end + "; now " + Instant.now());
        System.out.println();
        System.out.println("| the newest 100 records of the fleet | p50 | p95 | max | samples |");
        System.out.println("|---|---|---|---|---|");
        time("until the newest record (a live fleet's now)", samples,
            () -> store.logs(new LogFilter(null, null, null, null, end, null, 100)).size());
        time("until the newest record, level INFO", samples,
            () -> store.logs(new LogFilter(null, null, "INFO", null, end, null, 100)).size());
        time("without until (the newest record " + java.time.Duration.between(end, Instant.now()).toMinutes()
            + " min ago)", samples, () -> store.logs(new LogFilter(null, null, null, null, null, null, 100)).size());
        time("until the newest record, a component no record has", samples,
            () -> store.logs(new LogFilter(null, null, null, null, end, null, "no.such.component", 100)).size());
      }
    }
  }

  private static void time(String name, int samples, Supplier<Integer> query) {
    int rows = query.get();   // warm-up: plans and pages
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      long start = System.nanoTime();
      rows = query.get();
      nanos.add(System.nanoTime() - start);
    }
    Collections.sort(nanos);
    System.out.printf(Locale.ROOT, "| %s (%d rows) | %.1f ms | %.1f ms | %.1f ms | %d |%n", name, rows,
        nanos.get(nanos.size() / 2) / 1e6, nanos.get((int) (nanos.size() * 0.95)) / 1e6,
        nanos.get(nanos.size() - 1) / 1e6, samples);
  }
}
