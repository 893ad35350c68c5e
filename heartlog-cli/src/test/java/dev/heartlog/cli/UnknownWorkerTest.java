package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.NearNames;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker id the store does not know, given to {@code worker}, {@code logs} and {@code tasks},
 * and a health no worker has, given to {@code workers --health}.
 */
class UnknownWorkerTest {

  private static String url;

  @BeforeAll
  static void fill() {
    url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    for (String worker : List.of("demo-gpu-1", "demo-gpu-2", "gpu-1", "gpu-12", "GPU-7")) {
      store.withConnection(c -> TestDatabase.heartbeat(c, worker, "[{\"timestamp\": \"" + Instant.now()
          + "\", \"level\": \"INFO\", \"message\": \"up\", \"task_id\": \"t-" + worker + "\"}]"));
    }
  }

  @Test
  void aMistypedIdIsNamedWithTheNearestIdOfTheFleet() {
    Cli.Result result = Cli.run("worker", "demo-gpu1", "--db-url", url);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo(
        "heartlog: no worker demo-gpu1; did you mean demo-gpu-1? (heartlog workers lists them)" + System.lineSeparator());
  }

  @Test
  void logsThatFindNothingForAnUnknownWorkerSaySo() {
    Cli.Result result = Cli.run("logs", "--worker", "gup-12", "--db-url", url);

    assertThat(result.exitCode()).isZero();
    assertThat(result.err().lines()).containsExactly(
        "heartlog: no records match (records are kept 48 hours)",
        "heartlog: no worker gup-12; did you mean gpu-12? (heartlog workers lists them)");
  }

  @Test
  void logsThatFindNothingForAKnownWorkerSayOnlyThat() {
    Cli.Result result = Cli.run("logs", "--worker", "gpu-1", "--level", "CRITICAL", "--db-url", url);

    assertThat(result.err().lines()).containsExactly("heartlog: no records match (records are kept 48 hours)");
  }

  @Test
  void tasksOfAnIdInAnotherCaseNameTheWorkerInItsOwn() {
    Cli.Result result = Cli.run("tasks", "--worker", "gpu-7", "--db-url", url);

    assertThat(result.out()).startsWith("No tasks of worker gpu-7 logged since");
    assertThat(result.err()).contains("heartlog: no worker gpu-7; did you mean GPU-7? (heartlog workers lists them)");
  }

  @Test
  void anIdNearNoWorkerIsSaidAlone() {
    Cli.Result result = Cli.run("worker", "render-node", "--db-url", url);

    assertThat(result.err()).isEqualTo("heartlog: no worker render-node (heartlog workers lists them)" + System.lineSeparator());
  }

  @Test
  void aBlankIdOrComponentIsABadFlagNotANameNoneHas() {
    Cli.Result logs = Cli.run("logs", "--worker", "", "--db-url", url);
    Cli.Result tasks = Cli.run("tasks", "--worker", " ", "--db-url", url);
    Cli.Result worker = Cli.run("worker", "", "--db-url", url);

    assertThat(List.of(logs.exitCode(), tasks.exitCode(), worker.exitCode())).containsOnly(2);
    assertThat(logs.err()).startsWith("heartlog: --worker is blank: give a worker's id (heartlog workers lists them)");
    assertThat(tasks.err()).startsWith("heartlog: --worker is blank");
    assertThat(worker.err()).startsWith("heartlog: the worker id is blank");
    assertThat(logs.out() + tasks.out() + worker.out()).isEmpty();
    Cli.Result component = Cli.run("logs", "--worker", "gpu-1", "--component", "", "--db-url", url);
    assertThat(component.exitCode()).isEqualTo(2);
    assertThat(component.err()).startsWith("heartlog: --component is blank: give a logger's or component's name");
  }

  @Test
  void aMistypedHealthThatNoWorkerHasIsNamedWithTheNearestHealth() {
    Cli.Result mistyped = Cli.run("workers", "--health", "stail,crashd", "--db-url", url);
    Cli.Result ofItsOwn = Cli.run("workers", "--health", "busy", "--db-url", url);
    Cli.Result blank = Cli.run("workers", "--health", "", "--db-url", url);

    assertThat(mistyped.out()).isEqualTo("No worker is stail or crashd. Did you mean stale or crashed?" + System.lineSeparator());
    assertThat(ofItsOwn.out()).as("a status workers may send, near none").isEqualTo("No worker is busy." + System.lineSeparator());
    assertThat(blank.exitCode()).isEqualTo(2);
    assertThat(blank.err()).startsWith("heartlog: --health is blank: give active, stale, stopped, crashed");
  }

  @Test
  void onlyTheIdsOfTheFewestEditsAreNamedAndAStartNamesThoseItStarts() {
    List<String> fleet = List.of("gpu-1", "gpu-2", "gpu-12", "gpu-21", "render-1");

    assertThat(NearNames.nearestIds("gpu1", fleet)).containsExactly("gpu-1");
    assertThat(NearNames.nearestIds("gpu-21", fleet)).containsExactly("gpu-21");
    assertThat(NearNames.nearestIds("GPU-2", fleet)).as("in any case").containsExactly("gpu-2");
    assertThat(NearNames.nearestIds("rend", fleet)).containsExactly("render-1");
    assertThat(NearNames.nearestIds("node-9", fleet)).isEmpty();
  }
}
