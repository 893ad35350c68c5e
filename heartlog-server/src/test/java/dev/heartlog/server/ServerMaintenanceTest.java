package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's scheduled maintenance beside a long read of system_logs: it says which work it
 * left for its next run, and does it once the read is over.
 */
class ServerMaintenanceTest {

  @TempDir Path folder;

  @Test
  @Timeout(90)
  void maintenanceSaysWhatALongReadMadeItLeaveAndDoesItOnceTheReadIsOver() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    LocalDate expired = LocalDate.now(ZoneOffset.UTC).minusDays(5);
    String partition = "system_logs_p" + DateTimeFormatter.BASIC_ISO_DATE.format(expired);
    try (Connection owner = DriverManager.getConnection(url); Statement statement = owner.createStatement()) {
      statement.execute("CREATE TABLE " + partition + " PARTITION OF system_logs FOR VALUES FROM ('"
          + expired + " 00:00+00') TO ('" + expired.plusDays(1) + " 00:00+00')");
    }
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    HeartlogServer server = HeartlogServer.builder().store(store).keysFile(folder.resolve("keys")).port(0)
        .maintenanceInterval(Duration.ofMillis(100))
        .diagnostics(new PrintStream(diagnostics, true, StandardCharsets.UTF_8)).build();

    try (server; Connection reader = DriverManager.getConnection(url); Statement statement = reader.createStatement()) {
      reader.setAutoCommit(false);
      statement.executeQuery("SELECT count(*) FROM system_logs").close();   // its locks last until rollback
      server.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> diagnostics.toString(StandardCharsets.UTF_8).contains(
          "heartlog serve: maintenance left 1 partition for its next run: "
              + "a long read of system_logs held the locks needed to create or drop them"));
      assertThat(partitionExists(store, partition)).isTrue();

      reader.rollback();
      await().atMost(Duration.ofSeconds(30)).until(() -> !partitionExists(store, partition));
    }
  }

  private static boolean partitionExists(Store store, String name) {
    return store.withConnection(c -> {
      try (var statement = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
        statement.setString(1, name);
        try (var rs = statement.executeQuery()) {
          rs.next();
          return rs.getBoolean(1);
        }
      }
    });
  }
}
