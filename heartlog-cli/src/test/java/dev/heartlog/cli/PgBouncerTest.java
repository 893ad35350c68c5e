package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestPgBouncer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The command line through PgBouncer, which refuses a connection that sets a startup option:
 * commands that read once through one in transaction mode, {@code heartlog serve}'s pool through
 * one in session mode (its live tail listens on a session).
 */
@Timeout(120)
class PgBouncerTest {

  @Test
  void commandsReadThroughAPoolerInTransactionMode() throws Exception {
    String url = TestDatabase.freshUrl();
    store(url);
    try (TestPgBouncer pgbouncer = TestPgBouncer.start(url, "transaction")) {
      Cli.Result logs = Cli.run("logs", "--worker", "bounced", "--db-url", pgbouncer.url());
      Cli.Result workers = Cli.run("workers", "--db-url", pgbouncer.url());

      assertThat(logs.exitCode()).as(logs.err()).isZero();
      assertThat(logs.out()).contains("through the pooler");
      assertThat(workers.exitCode()).as(workers.err()).isZero();
      assertThat(workers.out()).contains("bounced");
    }
  }

  @Test
  void theServersPoolPlansWithActualValuesThroughAPoolerInSessionMode() throws Exception {
    String url = TestDatabase.freshUrl();
    store(url);
    try (TestPgBouncer pgbouncer = TestPgBouncer.start(url, "session")) {
      StoreOptions options = new StoreOptions();
      options.url = pgbouncer.url();
      try (StoreOptions.Opened opened = options.openPooled()) {
        String mode = opened.store().withConnection(c -> {
          try (ResultSet shown = c.createStatement().executeQuery("SHOW plan_cache_mode")) {
            shown.next();
            return shown.getString(1);
          }
        });
        assertThat(mode).isEqualTo("force_custom_plan");
        assertThat(opened.store().workers(Store.DEFAULT_STALE_AFTER)).extracting(w -> w.id()).containsExactly("bounced");
      }
    }
  }

  private static void store(String url) {
    Store store = Store.open(url, null, null);
    store.migrate();
    store.withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT func_worker_heartbeat_with_logs('bounced', NULL, NULL, "
          + "'[{\"timestamp\": \"2026-11-29T12:00:00Z\", \"level\": \"INFO\", \"message\": \"through the pooler\"}]'::jsonb, NULL)")) {
        return s.execute();
      }
    });
  }
}
