package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code heartlog task} and {@code logs --task} given the start of a task's id, as the viewer
 * shows it (13 characters and "…") and the demo prints it (8 and "-...").
 */
class TaskIdPrefixCommandTest {

  private static final String FAILED = "84a151ad-904b-4308-9cb4-ad63618d8e1f";

  private static String url;

  @BeforeAll
  static void fill() {
    url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    store.withConnection(c -> {
      TestDatabase.heartbeat(c, "gpu-1", "["
          + record(FAILED, "ERROR", "CUDA out of memory") + ","
          + record("7ca25993-31fb-4d21-9588-6c6e5262b973", "INFO", "rendered shot 1") + ","
          + record("7cb01c3d-85b9-48cf-b65e-0869b7423550", "INFO", "rendered shot 2") + ","
          + record("job-1", "INFO", "job one") + ","
          + record("job-10", "INFO", "job ten") + "]");
      return null;
    });
    for (int i = 0; i < TaskIdArgument.SHOWN + 1; i++) {
      int n = i;
      store.withConnection(c -> TestDatabase.heartbeat(c, "gpu-2", "[" + record("batch-" + n, "INFO", "batch " + n) + "]"));
    }
  }

  private static String record(String task, String level, String message) {
    return "{\"timestamp\": \"" + java.time.Instant.now() + "\", \"level\": \"" + level
        + "\", \"message\": \"" + message + "\", \"task_id\": \"" + task + "\"}";
  }

  @Test
  void theStartOfOneTasksIdPrintsThatTaskAndSaysWhichItIs() {
    for (String given : List.of("84a151ad", "84a151ad-904b…", "84a151ad-...", " 84a151ad ")) {
      Cli.Result result = Cli.run("task", given, "--db-url", url);

      assertThat(result.exitCode()).as(given + ": " + result.err()).isZero();
      assertThat(result.out()).as(given).contains("Task " + FAILED + "  FAILED").contains("CUDA out of memory");
      assertThat(result.err()).as(given).isEqualTo("heartlog: task " + given + " is " + FAILED + System.lineSeparator());
    }
  }

  @Test
  void logsOfTheStartOfOneTasksIdAreThatTasksRecords() {
    Cli.Result result = Cli.run("logs", "--task", "84a151ad", "--db-url", url);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines()).singleElement().asString().contains("[task " + FAILED + "]").contains("CUDA out of memory");
  }

  @Test
  void theStartOfSeveralTasksIdsNamesThemAndPrintsNoTask() {
    Cli.Result result = Cli.run("task", "7c", "--db-url", url);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines()).containsExactly(
        "heartlog: task id 7c is the start of 2 tasks (give more of it):",
        "  7ca25993-31fb-4d21-9588-6c6e5262b973",
        "  7cb01c3d-85b9-48cf-b65e-0869b7423550");
    assertThat(Cli.run("logs", "--task", "7c", "--db-url", url).err()).startsWith("heartlog: task id 7c is the start of 2 tasks");
  }

  @Test
  void theStartOfManyTasksIdsNamesTheFirstOfThem() {
    Cli.Result result = Cli.run("task", "batch-", "--db-url", url);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().lines().findFirst()).hasValue(
        "heartlog: task id batch- is the start of more than " + TaskIdArgument.SHOWN + " tasks; the first " + TaskIdArgument.SHOWN + " (give more of it):");
    assertThat(result.err().lines().skip(1)).hasSize(TaskIdArgument.SHOWN).allMatch(line -> line.startsWith("  batch-"));
  }

  @Test
  void aWholeIdIsThatTaskEvenWhereItStartsAnothers() {
    Cli.Result result = Cli.run("logs", "--task", "job-1", "--db-url", url);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("job one").doesNotContain("job ten");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void aBlankIdIsABadFlag() {
    Cli.Result task = Cli.run("task", " ", "--db-url", url);
    Cli.Result logs = Cli.run("logs", "--task", "", "--db-url", url);

    assertThat(task.exitCode()).isEqualTo(2);
    assertThat(task.err()).startsWith("heartlog: the task id is blank: give a task's id (heartlog tasks lists them)");
    assertThat(logs.exitCode()).isEqualTo(2);
    assertThat(logs.err()).startsWith("heartlog: --task is blank");
  }

  @Test
  void anIdThatStartsNoTasksIsSaidToHaveNone() {
    Cli.Result result = Cli.run("task", "84a151af", "--db-url", url);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("heartlog: no records or heartbeats for task 84a151af");
  }
}
