package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Statuses of the workers' own in {@code heartlog workers}: a worker that sends its error message
 * as its status, and a fleet that puts each worker's task in its status.
 */
class WorkerStatusesTest {

  /**
   * {@code heartlog workers} shows a status's first 40 characters, in its line and in the summary
   * below, where the whole of it (up to the 200 the store keeps) ran the line across the
   * terminal; {@code --json} and {@code heartlog worker} keep it whole.
   */
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

  /** The summary names heartlog's healths and the 5 most common of the workers' own, and adds up the rest. */
  @Test
  void theSummaryNamesTheMostCommonStatusesAndAddsUpTheRest() {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    for (String worker : List.of("job-1", "job-2", "job-3", "job-4", "job-5", "job-6", "job-7", "job-8", "job-8b")) {
      store.withConnection(c -> {
        try (PreparedStatement heartbeat = c.prepareStatement(
            "SELECT func_worker_heartbeat_with_logs(worker_id_param => ?, status_param => ?)")) {
          heartbeat.setString(1, "statuses-" + worker);
          heartbeat.setString(2, "rendering " + worker.replace("8b", "8"));
          return heartbeat.execute();
        }
      });
    }
    String healths = String.join(",", List.of("1", "2", "3", "4", "5", "6", "7", "8").stream()
        .map(n -> "rendering job-" + n).toList());

    Cli.Result list = Cli.run("workers", "--health", healths, "--db-url", url);

    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out().strip().lines().toList()).last().isEqualTo("9 workers: 1 rendering job-1, 1 rendering job-2, "
        + "1 rendering job-3, 1 rendering job-4, 2 rendering job-8, and 3 workers of 3 other statuses (--json: health)");
  }
}
