package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code heartlog maintain} beside a long read of system_logs: the expired partition it cannot
 * have the lock for is left for the next run, and it says so, while its answer stays the one JSON
 * line on stdout that a cron job may keep.
 */
class MaintainCommandTest {

  @Test
  @Timeout(60)
  void aPartitionALongReadHoldsIsLeftForTheNextRunAndSaidSo() throws SQLException {
    String url = TestDatabase.migratedUrl();
    LocalDate expired = LocalDate.now(ZoneOffset.UTC).minusDays(5);
    String partition = "system_logs_p" + DateTimeFormatter.BASIC_ISO_DATE.format(expired);
    try (Connection owner = DriverManager.getConnection(url); Statement statement = owner.createStatement()) {
      statement.execute("CREATE TABLE " + partition + " PARTITION OF system_logs FOR VALUES FROM ('"
          + expired + " 00:00+00') TO ('" + expired.plusDays(1) + " 00:00+00')");
    }

    Cli.Result held;
    try (Connection reader = DriverManager.getConnection(url); Statement statement = reader.createStatement()) {
      reader.setAutoCommit(false);
      statement.executeQuery("SELECT count(*) FROM system_logs").close();   // its locks last until rollback
      held = Cli.run("maintain", "--db-url", url);
      reader.rollback();
    }
    Cli.Result free = Cli.run("maintain", "--db-url", url);

    assertThat(held.exitCode()).as(held.err()).isZero();
    assertThat(held.out().trim()).isEqualTo(
        "{\"retention\": \"48:00:00\", \"partitions_in_use\": 1, \"partitions_created\": 0, \"partitions_dropped\": 0}");
    assertThat(held.err().trim()).isEqualTo(
        "heartlog: 1 partition left for the next run: a long read of system_logs held the locks needed to create or drop them");
    assertThat(free.exitCode()).as(free.err()).isZero();
    assertThat(free.out()).contains("\"partitions_in_use\": 0", "\"partitions_dropped\": 1");
    assertThat(free.err()).isEmpty();
  }
}
