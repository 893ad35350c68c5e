package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A worker that sends its error message as its status: {@code heartlog workers} shows its first 40
 * characters, in its line and in the summary below, where the whole of it (up to the 200 the store
 * keeps) ran the line across the terminal; {@code --json} and {@code heartlog worker} keep it whole.
 */
class LongStatusTest {

  @Test
  void theListCutsALongStatusAndTheWorkersPageAndJsonKeepItWhole() {
    String url = TestDatabase.migratedUrl();
    String status = "error: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 23.65 GiB total capacity)";
    Store.open(url, null, null).withConnection(c -> {
      try (PreparedStatement heartbeat = c.prepareStatement(
          "SELECT func_worker_heartbeat_with_logs(worker_id_param => 'gpu-oom-status', status_param => ?)")) {
        heartbeat.setString(1, status);
        return heartbeat.execute();
      }
    });
    String shown = status.substring(0, 39) + "…";

    Cli.Result list = Cli.run("workers", "--db-url", url);
    Cli.Result json = Cli.run("workers", "--json", "--db-url", url);
    Cli.Result page = Cli.run("worker", "gpu-oom-status", "--db-url", url);

    List<String> lines = list.out().lines().toList();
    assertThat(lines).filteredOn(line -> line.startsWith("gpu-oom-status ")).singleElement()
        .satisfies(line -> assertThat(line).startsWith(String.format("%-24s %-8s ", "gpu-oom-status", shown)));
    assertThat(lines).filteredOn(line -> line.matches("[\\d,]+ workers?: .*")).singleElement()
        .satisfies(summary -> assertThat(summary).contains("1 " + shown).doesNotContain(status));
    assertThat(json.out()).contains("\"health\":\"" + status + "\"");
    assertThat(page.out()).contains(status);
  }
}
