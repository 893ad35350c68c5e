package dev.heartlog.jdbc.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * What a fault scenario did to one worker's records, counted in the store: the records the
 * application produced, those stored, those the agent reported as dropped (its "heartlog dropped
 * N records" WARNING rows), and those stored more than once. Every scenario holds
 * {@code stored + reportedDrops = produced} and {@code duplicates = 0}.
 */
record Ledger(String scenario, long produced, long stored, long reportedDrops, long duplicates) {

  private static final String COUNTS =
      """
      SELECT count(*) FILTER (WHERE metadata->>'heartlog_dropped' IS NULL),
             coalesce(sum((metadata->>'heartlog_dropped')::bigint), 0),
             count(*) FILTER (WHERE metadata->>'heartlog_dropped' IS NULL)
               - count(DISTINCT (session_id, seq)) FILTER (WHERE metadata->>'heartlog_dropped' IS NULL)
      FROM system_logs
      WHERE source_id = ? AND message NOT LIKE 'heartlog rejected record%'
      """;

  static Ledger count(String scenario, String url, String workerId, long produced) {
    return Store.open(url, null, null).withConnection(c -> {
      try (PreparedStatement statement = c.prepareStatement(COUNTS)) {
        statement.setString(1, workerId);
        try (ResultSet rs = statement.executeQuery()) {
          rs.next();
          return new Ledger(scenario, produced, rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
      }
    });
  }

  /** Asserts the scenario's promise and writes its counts to target/reliability. */
  Ledger assertBalanced() {
    write();
    assertThat(duplicates).as("records stored twice").isZero();
    assertThat(stored + reportedDrops).as("stored + reported drops").isEqualTo(produced);
    return this;
  }

  /** Writes the counts (for RELIABILITY.md) without asserting the balance. */
  Ledger write() {
    try {
      Path folder = Path.of("target", "reliability");
      Files.createDirectories(folder);
      Files.writeString(folder.resolve(scenario + ".txt"), String.format(
          "scenario=%s produced=%d stored=%d reported_drops=%d duplicates=%d%n",
          scenario, produced, stored, reportedDrops, duplicates));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }
}
