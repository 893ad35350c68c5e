package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.heartlog.store.RecentTask;
import dev.heartlog.store.Store;
import dev.heartlog.store.TaskSummary;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo fills a real database; every reading command then reads it back. */
@Timeout(120)
class CommandLineTest {

  private static String url;
  private static String urlWithPassword;
  private static String failedTask;
  private static Cli.Result demo;
  /** How the demo was launched, as {@code bin/heartlog} says it in its variable: a path with a space. */
  private static final String TYPED = "/opt/fleet tools/bin/heartlog";

  @BeforeAll
  static void runDemo() {
    url = TestDatabase.migratedUrl();
    // With a password in its address, as a store of one's own has; the test server trusts its logins.
    urlWithPassword = url.contains("password=") ? url : url + "&password=demo-s3cret";
    demo = Cli.runInItsOwnJvm(Map.of(Launcher.VARIABLE, TYPED), "demo", "--workers", "2", "--duration", "4s", "--interval", "500ms", "--db-url", urlWithPassword);
    Matcher failed = Pattern.compile("\\(task ([0-9a-f-]{36}) failed\\)").matcher(demo.out());
    failedTask = failed.find() ? failed.group(1) : null;
  }

  @Test
  void theDemoStoresEveryRecordItSentAndNamesTheFailedTask() {
    Matcher counts = Pattern.compile("(\\d+) records sent, (\\d+) stored").matcher(demo.out());

    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(counts.find()).as(demo.out()).isTrue();
    assertThat(Long.parseLong(counts.group(1))).isPositive().isEqualTo(Long.parseLong(counts.group(2)));
    assertThat(failedTask).isNotNull();
    // As it was launched, to be pasted where it was: not bin/heartlog outside the checkout.
    assertThat(demo.out()).contains("\n  '/opt/fleet tools/bin/heartlog' task " + failedTask);
  }

  /**
   * A demo run before the database was migrated keeps its records in the spool; the next run
   * replays them first. Counted as the next run's own, they made its summary "221 records sent,
   * 118 stored" and its exit code 1, as if records were lost.
   */
  @Test
  void aDemoAfterOneThatCouldNotDeliverSaysWhatItReplayedApartFromItsOwnRecords(@org.junit.jupiter.api.io.TempDir Path home)
      throws Exception {
    String unmigrated = TestDatabase.freshUrl();
    String[] demoArgs = {"demo", "--workers", "1", "--duration", "2s", "--interval", "500ms", "--db-url", unmigrated,
        "--home", home.toString()};

    Cli.Result undelivered = Cli.run(demoArgs);
    Cli.Result migrated = Cli.run("migrate", "--db-url", unmigrated);
    Cli.Result replaying = Cli.run(demoArgs);

    assertThat(undelivered.exitCode()).isEqualTo(1);
    assertThat(migrated.exitCode()).as(migrated.err()).isZero();
    assertThat(replaying.exitCode()).as(replaying.out() + replaying.err()).isZero();
    Matcher counts = Pattern.compile("; (\\d+) records sent, (\\d+) stored").matcher(replaying.out());
    Matcher replayed = Pattern.compile("Also sent: (\\d+) records an earlier run left in the spool\\.").matcher(replaying.out());
    assertThat(counts.find()).as(replaying.out()).isTrue();
    assertThat(counts.group(1)).isEqualTo(counts.group(2));
    assertThat(replayed.find()).as(replaying.out()).isTrue();
    long stored = Long.parseLong(TestDatabase.single(unmigrated, "SELECT count(*) FROM system_logs"));
    assertThat(Long.parseLong(counts.group(1)) + Long.parseLong(replayed.group(1))).as("both runs' records, all stored")
        .isEqualTo(stored);
  }

  /**
   * The demo printed its commands with {@code password=***}, and a command pasted from them failed:
   * "password authentication failed". The test server trusts its logins, so what is printed is
   * checked here, and the login by hand.
   */
  @Test
  void theCommandsToCopyLeaveThePasswordOutAndSaySo() {
    assertThat(demo.out()).contains("Look at what they did");
    String toCopy = demo.out().substring(demo.out().indexOf("Look at what they did"));   // the banner above may say ***
    assertThat(toCopy).doesNotContain("***").doesNotContain("demo-s3cret")
        .contains("the password is not shown here: export HEARTLOG_DB_PASSWORD=... first")
        .contains("'/opt/fleet tools/bin/heartlog' workers --db-url " + RecordText.shellWord(StoreOptions.withoutPasswords(urlWithPassword)));
    Matcher workers = Pattern.compile("heartlog' workers --db-url '([^']+)'").matcher(toCopy);
    assertThat(workers.find()).as(toCopy).isTrue();

    // Pasted after the export the line above asks for (a test server with a password needs it).
    String password = urlWithPassword.replaceFirst("^.*[?&]password=([^&]*).*$", "$1");
    Cli.Result pasted = Cli.runInItsOwnJvm(Map.of("HEARTLOG_DB_PASSWORD", password), "workers", "--db-url", workers.group(1));

    assertThat(pasted.exitCode()).as(pasted.err()).isZero();
    assertThat(pasted.out()).containsPattern("demo-gpu-1\\s+stopped");
  }

  @Test
  void workersListsTheDemoWorkersAsStopped() {
    Cli.Result result = Cli.run("workers", "--db-url", url);

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).containsPattern("demo-gpu-1\\s+stopped").containsPattern("demo-gpu-2\\s+stopped");
    // Below the table, what it adds up to (other tests of this class add workers of their own).
    List<String> lines = result.out().strip().lines().toList();
    long rows = lines.stream().skip(1).takeWhile(line -> !line.isBlank()).count();
    long stopped = lines.stream().skip(1).takeWhile(line -> !line.isBlank()).filter(line -> line.contains(" stopped ")).count();
    assertThat(lines.get(lines.size() - 1)).startsWith(rows + " workers: ").contains(stopped + " stopped");
  }

  @Test
  void workersHealthKeepsTheWorkersOfThatHealth() {
    Cli.Result stopped = Cli.run("workers", "--health", "STOPPED,crashed", "--db-url", url);
    Cli.Result stale = Cli.run("workers", "--health", "stale", "--db-url", url);

    assertThat(stopped.out()).containsPattern("demo-gpu-1\\s+stopped").containsPattern("demo-gpu-2\\s+stopped");
    assertThat(stale.exitCode()).isZero();
    assertThat(stale.out()).isEqualTo("No worker is stale." + System.lineSeparator());
  }

  @Test
  void theFailedTasksTimelineShowsItsWorkerVramAndException() {
    Cli.Result result = Cli.run("task", failedTask, "--db-url", url);

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("Task " + failedTask + "  FAILED")
        .contains("worker    demo-gpu-2")
        .contains("Claimed task, starting generation")
        .as("logged through SLF4J as the demo's logging started").contains("Loading model")
        .contains("VRAM      peak")
        .contains("Failure:")
        .contains("java.lang.IllegalStateException: CUDA out of memory");
  }

  @Test
  void taskJsonIsOneObjectSayingItFailed() throws IOException {
    Cli.Result result = Cli.run("task", failedTask, "--json", "--db-url", url);

    assertThat(result.out().trim()).startsWith("{").contains("\"outcome\":\"failed\"");
    assertThat(countJsonValues(result.out())).isEqualTo(1);
  }

  @Test
  void tasksFailedListsTheFailedTaskWithItsWorkerAndError() {
    Cli.Result failed = Cli.run("tasks", "--failed", "--db-url", url);
    Cli.Result all = Cli.run("tasks", "--since", "1h", "--db-url", url);

    assertThat(failed.exitCode()).as(failed.err()).isZero();
    assertThat(failed.out().lines().toList()).as(failed.out()).hasSize(2);
    assertThat(failed.out().lines().skip(1).findFirst().orElseThrow())
        .startsWith(failedTask + " ")
        .containsPattern("failed\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ")
        .contains("demo-gpu-2", "Generation failed: CUDA out of memory (java.lang.IllegalStateException: CUDA out of memory. "
            + "Tried to allocate 2.00 GiB (simulated))");
    assertThat(all.out().lines().skip(1).toList())
        .as("every demo task, the failed one among them; ok ones end with their workers")
        .hasSizeGreaterThan(1)
        .anySatisfy(line -> assertThat(line).startsWith(failedTask + " "))
        .anySatisfy(line -> assertThat(line).contains(" ok ").endsWith("demo-gpu-1"));
  }

  @Test
  void tasksJsonIsOneArrayAndAnEmptyRangeSaysSo() throws IOException {
    Cli.Result json = Cli.run("tasks", "--failed", "--json", "--db-url", url);
    Cli.Result none = Cli.run("tasks", "--worker", "demo-gpu-1", "--failed", "--db-url", url);

    assertThat(json.out().trim()).startsWith("[{\"task_id\":\"" + failedTask + "\",\"outcome\":\"failed\"")
        .contains("\"workers\":[\"demo-gpu-2\"]", "\"failure\":\"Generation failed: CUDA out of memory\"",
            "\"failure_exception\":\"java.lang.IllegalStateException: CUDA out of memory. Tried to allocate 2.00 GiB (simulated)\"");
    assertThat(countJsonValues(json.out())).isEqualTo(1);
    assertThat(none.exitCode()).isZero();
    assertThat(none.out()).startsWith("No failed tasks of worker demo-gpu-1 logged since ");
  }

  @Test
  void errorsListsTheDemosFailuresAsOneKindWithTheFailedTaskAsItsLatest() throws IOException {
    Cli.Result errors = Cli.run("errors", "--worker", "demo-gpu-2", "--db-url", url);
    Cli.Result json = Cli.run("errors", "--worker", "demo-gpu-2", "--json", "--db-url", url);
    Cli.Result none = Cli.run("errors", "--worker", "demo-gpu-1", "--db-url", url);
    Cli.Result badLimit = Cli.run("errors", "--limit", "0", "--db-url", url);

    assertThat(errors.exitCode()).as(errors.err()).isZero();
    List<String> lines = errors.out().lines().toList();
    assertThat(lines.get(0)).startsWith("KIND      ERRORS WORKERS  TASKS  LATEST").endsWith("ERROR");
    assertThat(lines.get(1)).as(errors.out())
        .containsPattern("^[0-9a-f]{8}\\s+\\d+\\s+1\\s+\\d+  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ  " + failedTask + "  ")
        .endsWith("Generation failed: CUDA out of memory (java.lang.IllegalStateException: CUDA out of memory. "
            + "Tried to allocate 2.00 GiB (simulated))");
    assertThat(lines).as("one kind, then what the list adds up to, and how to see a kind's workers and tasks").hasSize(5);
    assertThat(lines.get(3)).matches("\\d+ errors? of 1 kind of worker demo-gpu-2 since .*Z\\.");
    assertThat(lines.get(4)).isEqualTo("heartlog errors --kind KIND lists the workers and tasks a kind hit; --compare marks "
        + "the kinds new since the range before.");
    assertThat(json.out().trim()).startsWith("{\"since\":").contains("\"kind_count\":1,",
        "\"task_id\":\"" + failedTask + "\",\"worker_id\":\"demo-gpu-2\"");
    assertThat(countJsonValues(json.out())).isEqualTo(1);
    assertThat(none.exitCode()).isZero();
    assertThat(none.out()).startsWith("No errors of worker demo-gpu-1 since ");
    assertThat(badLimit.exitCode()).isEqualTo(2);
    assertThat(badLimit.err()).contains("--limit must be positive (got 0)");
  }

  @Test
  void tasksUntilAlonePicksTheHourBeforeItAndASinceAfterUntilIsABadFlag() {
    String own = TestDatabase.migratedUrlFilledBy("""
        SELECT func_worker_heartbeat_with_logs('earlier-worker', NULL, NULL, jsonb_build_array(
            jsonb_build_object('timestamp', now() - interval '90 minutes', 'level', 'INFO', 'message', 'rendered',
                               'task_id', 'task-90m-ago'),
            jsonb_build_object('timestamp', now() - interval '5 minutes', 'level', 'INFO', 'message', 'rendered',
                               'task_id', 'task-5m-ago')), NULL);
        """);

    Cli.Result hourBefore = Cli.run("tasks", "--until", "1h", "--db-url", own);
    Cli.Result lastHour = Cli.run("tasks", "--db-url", own);
    Cli.Result swappedTasks = Cli.run("tasks", "--since", "30m", "--until", "1h", "--db-url", own);
    Cli.Result swappedLogs = Cli.run("logs", "--since", "30m", "--until", "1h", "--db-url", own);
    Cli.Result swappedErrors = Cli.run("errors", "--since", "30m", "--until", "1h", "--db-url", own);

    assertThat(hourBefore.exitCode()).as(hourBefore.err()).isZero();
    assertThat(hourBefore.out()).contains("task-90m-ago").doesNotContain("task-5m-ago");
    assertThat(lastHour.out()).contains("task-5m-ago").doesNotContain("task-90m-ago");
    for (Cli.Result swapped : List.of(swappedTasks, swappedLogs, swappedErrors)) {
      assertThat(swapped.exitCode()).isEqualTo(2);
      assertThat(swapped.out()).isEmpty();
      assertThat(swapped.err()).startsWith("heartlog: since (").contains(") is after until (",
          "since 1h until 30m is the half hour that ended 30 minutes ago");
    }
  }

  @Test
  void aFailureOfSeveralLinesOrAVeryLongOneKeepsItsTasksLineOneLine() {
    assertThat(TasksCommand.failure(failed("RuntimeError: CUDA error: out of memory\nCUDA kernel errors might be asynchronous", null)))
        .isEqualTo("RuntimeError: CUDA error: out of memory");
    assertThat(TasksCommand.failure(failed("x".repeat(500), null))).hasSize(160).endsWith("x…");
    assertThat(TasksCommand.failure(failed("Task failed", "java.lang.IllegalStateException: " + "y".repeat(500))))
        .hasSize(160).startsWith("Task failed (java.lang.IllegalStateException: yyy").endsWith("y…");
    assertThat(TasksCommand.failure(failed(null, null))).isEmpty();
    assertThat(TasksCommand.failure(failed("\n\n***************************\nAPPLICATION FAILED TO START\n"
        + "***************************\n\nDescription:\n\nWeb server failed to start.", null)))
        .as("a rule over a heading: the heading, as the store names the kind").isEqualTo("APPLICATION FAILED TO START");
    assertThat(TasksCommand.failure(failed("*****\n-----", null))).as("no line says anything: the first").isEqualTo("*****");
  }

  @Test
  void aFailuresLineNamesTheExceptionThatExplainsItUnlessItsMessageAlreadySaysIt() {
    assertThat(TasksCommand.failure(failed("Task failed", "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB")))
        .isEqualTo("Task failed (torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB)");
    assertThat(TasksCommand.failure(failed("render failed", "java.lang.NullPointerException")))
        .as("an exception without a message, named by its type").isEqualTo("render failed (java.lang.NullPointerException)");
    assertThat(TasksCommand.failure(failed("Task failed: CUDA out of memory", "java.lang.IllegalStateException: CUDA out of memory")))
        .as("the worker logged the exception's message itself").isEqualTo("Task failed: CUDA out of memory");
    assertThat(TasksCommand.failure(failed("Task exception was never retrieved\nfuture: <Task finished name='Task-2' "
        + "coro=<render() done> exception=ValueError('bad frame 5')>", "ValueError: bad frame 5")))
        .as("asyncio's, whose second line, not shown, says it").isEqualTo("Task exception was never retrieved (ValueError: bad frame 5)");
    assertThat(TasksCommand.failure(failed("TypeError: fetch failed", "TypeError: fetch failed, caused by Error: bad port")))
        .as("the exception's line goes on from the message: that line alone")
        .isEqualTo("TypeError: fetch failed, caused by Error: bad port");
  }

  private static RecentTask failed(String failure, String failureException) {
    Instant at = Instant.parse("2026-11-27T10:00:00Z");
    return new RecentTask("t-1", List.of("gpu-1"), at, at, 3, failure == null ? 0 : 1, failure, failureException);
  }

  @Test
  void aTaskOfManyWorkersNamesTheFirstThreeOnItsLineAndCountsTheRest() {
    assertThat(TasksCommand.workers(List.of("gpu-1"))).isEqualTo("gpu-1");
    assertThat(TasksCommand.workers(List.of("gpu-1", "gpu-2", "gpu-3"))).isEqualTo("gpu-1,gpu-2,gpu-3");
    assertThat(TasksCommand.workers(List.of("gpu-1", "gpu-2", "gpu-3", "gpu-4", "gpu-5")))
        .isEqualTo("gpu-1,gpu-2,gpu-3 +2 more");
  }

  @Test
  void workerShowsItsRecentTasksAndTimeline() {
    Cli.Result result = Cli.run("worker", "demo-gpu-2", "--db-url", url);

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Worker demo-gpu-2  stopped");
    assertThat(Cli.run("worker", "demo-gpu-1", "--db-url", url).out()).as("no errors, nothing to list by kind")
        .containsPattern("last hour       0 errors, \\d+ warnings?\\R");
    // A failed task says what failed it: its last error's message, on one line, and its exception.
    assertThat(result.out().lines().filter(line -> line.startsWith("  " + failedTask + "  ")))
        .singleElement().asString().endsWith("  FAILED  Generation failed: CUDA out of memory "
            + "(java.lang.IllegalStateException: CUDA out of memory. Tried to allocate 2.00 GiB (simulated))");
  }

  @Test
  void aFailedTasksLineOnTheWorkerPageIsItsLastErrorsFirstLineCut() {
    Instant at = Instant.parse("2026-11-27T10:00:00Z");
    TaskSummary failed = new TaskSummary("t-1", at, at, 3, 1, at, null, "render failed\n" + "x".repeat(200), null);
    assertThat(WorkerCommand.failure(failed)).isEqualTo("  render failed");
    assertThat(WorkerCommand.failure(new TaskSummary("t-1", at, at, 3, 1, at, null, "y".repeat(200), null))).hasSize(2 + 160).endsWith("y…");
    assertThat(WorkerCommand.failure(new TaskSummary("t-1", at, at, 3, 1, at, null, "the worker process exited with code 1",
        "MemoryError: out of host memory"))).as("the exception that explains it")
        .isEqualTo("  the worker process exited with code 1 (MemoryError: out of host memory)");
    assertThat(WorkerCommand.failure(new TaskSummary("t-1", at, at, 3, 1, at, null, "Generation failed: CUDA out of memory",
        "torch.OutOfMemoryError: CUDA out of memory"))).as("said already").isEqualTo("  Generation failed: CUDA out of memory");
    assertThat(WorkerCommand.failure(new TaskSummary("t-1", at, at, 3, 1, at))).as("not read").isEmpty();
  }

  @Test
  void controlCharactersAreShownNotSentToTheTerminalAndAMessagesFurtherLinesAreIndented() {
    // A worker's id, task and message with ESC sequences that would retitle and clear the
    // reader's terminal, a message of Windows line breaks, a stack trace line with a bell.
    String own = TestDatabase.migratedUrlFilledBy("""
        SELECT func_worker_heartbeat_with_logs(E'evil\\u001b]0;pwned\\u0007', NULL, NULL, jsonb_build_array(
            jsonb_build_object('timestamp', '2026-12-01T05:00:00Z', 'level', 'ERROR', 'task_id', E't\\u001b[2J',
                               'message', E'render failed\\r\\n\\tat step 3\\r\\n',
                               'metadata', jsonb_build_object('exception', E'Traceback\\nValueError: \\u0007bad'))), NULL);
        """);
    String n = System.lineSeparator();

    Cli.Result logs = Cli.run("logs", "--db-url", own);
    Cli.Result oneLine = Cli.run("logs", "--no-stack-traces", "--db-url", own);
    Cli.Result workers = Cli.run("workers", "--db-url", own);

    assertThat(logs.out()).isEqualTo("2026-12-01 05:00:00.000000Z  ERROR     evil\\x1b]0;pwned\\x07  [task t\\x1b[2J]  "
        + "render failed" + n + "    \tat step 3" + n + "    Traceback" + n + "    ValueError: \\x07bad" + n);
    assertThat(oneLine.out()).isEqualTo("2026-12-01 05:00:00.000000Z  ERROR     evil\\x1b]0;pwned\\x07  [task t\\x1b[2J]  "
        + "render failed\\n\tat step 3" + n);
    assertThat(workers.out()).contains("evil\\x1b]0;pwned\\x07 ").doesNotContain("\u001b", "\u0007");
  }

  @Test
  void oneWorkerAndOneErrorAreCountedInTheSingular() {
    String own = TestDatabase.migratedUrlFilledBy("""
        SELECT func_worker_heartbeat_with_logs('lone-worker', NULL, NULL, jsonb_build_array(
            jsonb_build_object('timestamp', now(), 'level', 'ERROR', 'message', 'CUDA out of memory',
                               'task_id', 'lone-task')), NULL, 'active');
        """);

    assertThat(Cli.run("workers", "--db-url", own).out()).endsWith(
        System.lineSeparator() + "1 worker: 1 active" + System.lineSeparator());
    assertThat(Cli.run("worker", "lone-worker", "--db-url", own).out())
        .as("the command names the store this one read").contains(
            "last hour       1 error, 0 warnings  (by kind: heartlog errors --worker lone-worker --db-url '" + own + "')");
    assertThat(Cli.run("task", "lone-task", "--db-url", own).out()).contains("worker    lone-worker: 1 record, errors: 1");
  }

  @Test
  void aWorkerWhoseRowWasRemovedShowsItsRecordsWithItsHealthUnknown() {
    String own = TestDatabase.migratedUrlFilledBy("""
        SELECT func_worker_heartbeat_with_logs('scaled-away', NULL, NULL, jsonb_build_array(
            jsonb_build_object('timestamp', now(), 'level', 'ERROR', 'message', 'instance preempted')), NULL);
        DELETE FROM workers WHERE id = 'scaled-away';
        """);

    Cli.Result result = Cli.run("worker", "scaled-away", "--db-url", own);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("Worker scaled-away  unknown (no row in workers: the orchestrator removed it; its records are kept)")
        .contains("last hour       1 error, 0 warnings")
        .contains("instance preempted");
  }

  @Test
  void aWorkersVramSaysWhyItsHeartbeatHadNoFiguresAndTheFleetListsTheReasonsRarestFirst() {
    // Heartbeats as heartlog agents send them: two workers without nvidia-smi, one whose driver
    // broke, one with a figure.
    String own = TestDatabase.migratedUrlFilledBy("""
        SELECT func_worker_heartbeat_with_logs(w.id, w.total, w.used, '[]'::jsonb, NULL, 'active', 's-' || w.id, 1,
                   jsonb_build_object('gpus_counted', '[]'::jsonb, 'gpu_problem', w.problem))
        FROM (VALUES ('no-smi', NULL, NULL, 'nvidia-smi not found'), ('cpu-2', NULL, NULL, 'nvidia-smi not found'),
                     ('broken-driver', NULL, NULL, 'Failed to initialize NVML: Unknown Error'),
                     ('h200', 143771, 527, NULL))
             AS w(id, total, used, problem);
        """);

    Cli.Result noSmi = Cli.run("worker", "no-smi", "--db-url", own);
    Cli.Result h200 = Cli.run("worker", "h200", "--db-url", own);
    Cli.Result fleet = Cli.run("workers", "--db-url", own);

    assertThat(noSmi.exitCode()).as(noSmi.err()).isZero();
    assertThat(noSmi.out()).contains("\n  VRAM            -  (nvidia-smi not found)\n");
    assertThat(h200.out()).contains("\n  VRAM            527/143771 MiB\n");
    assertThat(Cli.run("worker", "no-smi", "--json", "--db-url", own).out()).contains("\"gpu_problem\":\"nvidia-smi not found\"");
    assertThat(fleet.out()).contains("""

        What the running workers' last heartbeats said of their GPUs (--json: gpu_problem):
          broken-driver: Failed to initialize NVML: Unknown Error
          cpu-2, no-smi: nvidia-smi not found
        """);
  }

  @Test
  void aWorkerWhoseClockRunsBehindIsNamedWithItsSkewAndItsErrorCountsInTheLastHour() {
    // Heartbeats as heartlog agents send them, one of a clock three hours behind the store's.
    String own = TestDatabase.migratedUrlFilledBy("""
        SELECT func_worker_heartbeat_with_logs(w.id, NULL, NULL, jsonb_build_array(
                   jsonb_build_object('timestamp', now() - w.behind, 'level', 'ERROR', 'message', 'CUDA out of memory')),
                   NULL, 'active', 's-' || w.id, 1, jsonb_build_object(
                   'sent_at_ms', floor(extract(epoch FROM now() - w.behind) * 1000),
                   'problem_counts', jsonb_build_array(jsonb_build_array(heartlog_period(now() - w.behind), 1, 0))))
        FROM (VALUES ('slow-clock', interval '3 hours'), ('on-time', interval '0')) AS w(id, behind);
        """);

    Cli.Result workers = Cli.run("workers", "--db-url", own);
    Cli.Result worker = Cli.run("worker", "slow-clock", "--db-url", own);

    assertThat(workers.exitCode()).as(workers.err()).isZero();
    assertThat(workers.out())
        .containsPattern("slow-clock\\s+active .* 1\\s+0\\n")
        .contains("1 worker's clock is off the store's; its records carry its own times, which --since reads:")
        .containsPattern("\\n  slow-clock\\s+3h 0m behind\\n")
        .doesNotContainPattern("\\n  on-time ");
    assertThat(worker.out())
        .contains("clock           3h 0m behind the store's: its records carry its own times, which --since reads")
        .contains("last hour       1 error, 0 warnings");
    assertThat(Cli.run("worker", "on-time", "--db-url", own).out()).doesNotContain("clock ");

    Cli.Result lastMinutes = Cli.run("logs", "--worker", "slow-clock", "--since", "10m", "--db-url", own);
    assertThat(lastMinutes.out()).isEmpty();
    assertThat(lastMinutes.err()).contains("heartlog: no records match", "heartlog: slow-clock's clock is 3h 0m behind the "
        + "store's; its records carry its own times, so what it logged in that range is stamped 3h 0m earlier");
    assertThat(Cli.run("logs", "--worker", "on-time", "--since", "10m", "--db-url", own).err()).isEmpty();
    // Across the fleet: fleet health counts slow-clock's error of the last hour; the failed tasks
    // of the hour, found by their records' times, say why they miss it.
    String fleetNote = "heartlog: 1 worker's clock is a minute or more off the store's, so its records sit as far off this "
        + "range: slow-clock (3h 0m behind); heartlog workers lists clocks";
    assertThat(Cli.run("tasks", "--failed", "--db-url", own).err()).isEqualTo(fleetNote + System.lineSeparator());
    assertThat(Cli.run("logs", "--since", "1h", "--db-url", own).err()).isEqualTo(fleetNote + System.lineSeparator());
    assertThat(Cli.run("logs", "--db-url", own).err()).as("no range asked").isEmpty();
  }

  @Test
  void logsFilterByWorkerAndLevel() {
    Cli.Result result = Cli.run("logs", "--worker", "demo-gpu-2", "--level", "ERROR", "--db-url", url);
    Cli.Result brief = Cli.run("logs", "--worker", "demo-gpu-2", "--level", "ERROR", "--no-stack-traces", "--db-url", url);
    Cli.Result asJavaNamesIt = Cli.run("logs", "--worker", "demo-gpu-2", "--level", "severe", "--no-stack-traces", "--db-url", url);

    assertThat(brief.out().lines()).singleElement().asString()
        .contains("ERROR", "demo-gpu-2", "[task " + failedTask + "]", "Generation failed: CUDA out of memory");
    assertThat(asJavaNamesIt.out()).as("java.util.logging's SEVERE, stored as ERROR").isEqualTo(brief.out());
    List<String> lines = result.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo(brief.out().lines().findFirst().orElseThrow());
    assertThat(lines.subList(1, lines.size())).as("its stack trace, indented below it").isNotEmpty()
        .allSatisfy(line -> assertThat(line).startsWith("    "))
        .first().asString().contains("java.lang.IllegalStateException: CUDA out of memory");
  }

  @Test
  void logsFilterByComponent() {
    Cli.Result pipeline = Cli.run("logs", "--component", "DEMO.pipeline", "--json", "--limit", "10000", "--db-url", url);
    Cli.Result all = Cli.run("logs", "--json", "--limit", "10000", "--db-url", url);

    assertThat(pipeline.exitCode()).as(pipeline.err()).isZero();
    assertThat(pipeline.out().lines()).as("the java.util.logging loggers demo.pipeline.<worker>, in any case").isNotEmpty()
        .allSatisfy(line -> assertThat(line).containsPattern("\"logger\": ?\"demo\\.pipeline\\.demo-gpu-\\d\""));
    assertThat(pipeline.out().lines().count()).isLessThan(all.out().lines().count());
  }

  @Test
  void logsFilterByMetadata() {
    // The demo logs each task's model and frame count as SLF4J key-value pairs.
    Cli.Result loading = Cli.run("logs", "--grep", "Loading model", "--json", "--limit", "10000", "--db-url", url);
    java.util.regex.Matcher first = java.util.regex.Pattern.compile("\"model\": ?\"([^\"]+)\"").matcher(loading.out());
    assertThat(first.find()).as(loading.out()).isTrue();
    String model = first.group(1);

    Cli.Result ofModel = Cli.run("logs", "--meta", "model=" + model, "--json", "--limit", "10000", "--db-url", url);
    Cli.Result none = Cli.run("logs", "--meta", "model=" + model, "--meta", "frames=0", "--db-url", url);
    Cli.Result bad = Cli.run("logs", "--meta", "model", "--db-url", url);

    assertThat(ofModel.exitCode()).as(ofModel.err()).isZero();
    assertThat(ofModel.out().lines()).as("the loading records of that model, and no other record")
        .isNotEmpty()
        .containsExactlyElementsOf(loading.out().lines().filter(line -> line.contains("Loading model " + model + " ")).toList());
    assertThat(ofModel.out()).as("frames, a number in the metadata").containsPattern("\"frames\": \\d+");
    assertThat(none.out()).isEmpty();
    assertThat(none.err()).contains("no records match");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).startsWith("heartlog: meta must be key=value, as model=wan2.1 (got 'model')\n");
  }

  @Test
  void tasksFilterByMetadataThoughTheRecordThatFailedThemNamesNoModel() {
    Cli.Result loading = Cli.run("logs", "--task", failedTask, "--grep", "Loading model", "--json", "--db-url", url);
    java.util.regex.Matcher named = java.util.regex.Pattern.compile("\"model\": ?\"([^\"]+)\"").matcher(loading.out());
    assertThat(named.find()).as(loading.out()).isTrue();
    String model = named.group(1);
    String another = java.util.stream.Stream.of("wan2.1-t2v-14B", "wan2.1-i2v-480p", "hunyuan-video")
        .filter(name -> !name.equals(model)).findFirst().orElseThrow();

    Cli.Result ofModel = Cli.run("tasks", "--failed", "--meta", "model=" + model, "--since", "1d", "--db-url", url);
    Cli.Result ofAnother = Cli.run("tasks", "--failed", "--meta", "model=" + another, "--since", "1d", "--db-url", url);

    assertThat(ofModel.exitCode()).as(ofModel.err()).isZero();
    assertThat(ofModel.out()).contains(failedTask, "Generation failed: CUDA out of memory");
    assertThat(ofAnother.out()).doesNotContain(failedTask);
  }

  @Test
  void logsJsonShowsAllThreeCapturePathsReachedTheStore() throws IOException {
    Cli.Result result = Cli.run("logs", "--json", "--limit", "10000", "--db-url", url);

    long lines = result.out().lines().count();
    assertThat(countJsonValues(result.out())).isEqualTo(lines);
    assertThat(result.out()).contains("\"logger\": \"demo.worker.demo-gpu-1\"");
    assertThat(result.out()).contains("\"logger\": \"demo.pipeline.demo-gpu-1\"");
    assertThat(result.out()).contains("\"component\": \"generator\"");
  }

  @Test
  void inTheCLocaleOfAContainerRecordsPrintInUtf8NotAsQuestionMarks() throws Exception {
    Store.open(url, null, null).withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT func_worker_heartbeat_with_logs('ascii-terminal', NULL, NULL, "
          + "'[{\"timestamp\": \"2026-11-27T23:00:00Z\", \"level\": \"INFO\", \"message\": \"✅ rendu terminé\"}]'::jsonb, NULL)")) {
        return s.execute();
      }
    });
    // A JVM whose platform charset is ASCII, as in LANG=C: a JVM of its own, since the charset
    // is fixed when a JVM starts.
    Process logs = new ProcessBuilder(TestJvm.java("-Dfile.encoding=US-ASCII", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "logs", "--worker", "ascii-terminal", "--db-url", url))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] printed = logs.getInputStream().readAllBytes();

    assertThat(logs.waitFor()).isZero();
    assertThat(new String(printed, StandardCharsets.UTF_8)).contains("✅ rendu terminé");
  }

  @Test
  void anUnknownIdIsOneSentenceAndExitCodeOne() {
    Cli.Result task = Cli.run("task", "no-such-task", "--db-url", url);
    Cli.Result worker = Cli.run("worker", "no-such-worker", "--db-url", url);

    assertThat(task.exitCode()).isEqualTo(1);
    assertThat(task.err().trim()).isEqualTo(
        "heartlog: no records or heartbeats for task no-such-task (check the id; records are kept 48 hours)");
    assertThat(worker.exitCode()).isEqualTo(1);
    assertThat(worker.err().trim()).isEqualTo("heartlog: no worker no-such-worker (heartlog workers lists them)");
  }

  @Test
  void aBadFlagIsOneSentenceWithAHintAndExitCodeTwo() {
    Cli.Result level = Cli.run("logs", "--level", "LOUD", "--db-url", url);
    Cli.Result since = Cli.run("logs", "--since", "last week", "--db-url", url);
    Cli.Result untilYearOne = Cli.run("tasks", "--until", "-999999999-01-01T00:00:00Z", "--db-url", url);
    Cli.Result followUntil = Cli.run("logs", "--follow", "--until", "1h", "--db-url", url);
    Cli.Result bareRetention = Cli.run("maintain", "--retention", "48", "--db-url", url);
    Cli.Result shortRetention = Cli.run("serve", "--retention", "30m", "--db-url", url);
    Cli.Result weekRetention = Cli.run("maintain", "--retention", "7d", "--db-url", url);
    Cli.Result staleAtOnce = Cli.run("workers", "--stale-after", "-5s", "--db-url", url);
    Cli.Result staleWhen = Cli.run("workers", "--stale-after", "a while", "--db-url", url);
    List<Cli.Result> noneAsked = List.of(Cli.run("logs", "--limit", "0", "--db-url", url),
        Cli.run("tasks", "--limit", "0", "--db-url", url), Cli.run("worker", "demo-gpu-1", "--limit", "-1", "--db-url", url));

    assertThat(level.exitCode()).isEqualTo(2);
    assertThat(level.err().lines()).containsExactly(
        "heartlog: unknown level 'LOUD'; use one of DEBUG, INFO, WARNING, ERROR, CRITICAL (or WARN, SEVERE, FATAL, TRACE)",
        "Try 'heartlog logs --help' for the options.");
    assertThat(since.exitCode()).isEqualTo(2);
    assertThat(since.err()).startsWith("heartlog: Invalid value for option '--since': 'last week' is neither an age");
    assertThat(untilYearOne.exitCode()).as(untilYearOne.err()).isEqualTo(2);
    assertThat(untilYearOne.err()).startsWith(
        "heartlog: Invalid value for option '--until': '-999999999-01-01T00:00:00Z' is outside the years 0001 to 9999");
    assertThat(followUntil.exitCode()).isEqualTo(2);
    assertThat(bareRetention.exitCode()).isEqualTo(2);
    assertThat(bareRetention.err()).startsWith(
        "heartlog: --retention must be a length of time with its unit, such as 48h, 7d or 1d12h (got '48')");
    assertThat(shortRetention.exitCode()).isEqualTo(2);
    assertThat(shortRetention.err()).startsWith("heartlog: --retention must be at least 1h (got '30m')");
    assertThat(weekRetention.exitCode()).as(weekRetention.err()).isZero();
    assertThat(weekRetention.out()).contains("\"retention\": \"168:00:00\"");
    assertThat(followUntil.err()).startsWith(
        "heartlog: --follow prints records as they are stored from now on; it does not go with --until");
    assertThat(staleAtOnce.exitCode()).isEqualTo(2);
    assertThat(staleAtOnce.err()).startsWith("heartlog: --stale-after must be positive (got '-5s')\n");
    assertThat(staleWhen.exitCode()).isEqualTo(2);
    assertThat(staleWhen.err()).startsWith("heartlog: --stale-after must be a duration such as 20, 20s, 500ms or 5m");
    assertThat(noneAsked).extracting(Cli.Result::exitCode).containsOnly(2);
    assertThat(noneAsked).extracting(limit -> limit.err().lines().findFirst().orElse("")).containsExactly(
        "heartlog: --limit must be positive (got 0)", "heartlog: --limit must be positive (got 0)",
        "heartlog: --limit must be positive (got -1)");
  }

  @Test
  void theUriPsqlAndSupabaseShowWorksAsTheDatabaseUrlAndItsPasswordIsNeverPrinted() {
    String uri = TestDatabase.asUri(url);

    Cli.Result workers = Cli.run("workers", "--db-url", uri);
    Cli.Result otherScheme = Cli.run("workers", "--db-url", "mysql://root:hunter2@127.0.0.1:9/x");
    Cli.Result unreachable = Cli.run("workers", "--db-url", "postgresql://root:hunter2@127.0.0.1:9/x");

    assertThat(workers.exitCode()).as(workers.err()).isZero();
    assertThat(workers.out()).containsPattern("demo-gpu-1\\s+stopped");
    assertThat(otherScheme.exitCode()).isEqualTo(1);
    assertThat(otherScheme.err()).contains("mysql://root:***@127.0.0.1:9/x").doesNotContain("hunter2");
    assertThat(unreachable.exitCode()).isEqualTo(1);
    assertThat(unreachable.err()).contains("127.0.0.1:9").doesNotContain("hunter2");
  }

  @Test
  void anUnreachableDatabaseIsOneSentenceWithoutAStackTrace() {
    Cli.Result result = Cli.run("workers", "--db-url", "jdbc:postgresql://127.0.0.1:9/x?user=u&password=secret");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().lines()).singleElement().asString()
        .startsWith("heartlog: cannot reach the database at jdbc:postgresql://127.0.0.1:9/x?user=u&password=***")
        .doesNotContain("secret");
  }

  @Test
  void aHostThatDoesNotResolveIsNamed() {
    Cli.Result result = Cli.run("workers", "--db-url", "postgresql://u:secret@orchestrator-db.invalid:5432/x");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("heartlog: cannot reach the database at jdbc:postgresql://orchestrator-db.invalid:5432/x: "
        + "The connection attempt failed. (unknown host orchestrator-db.invalid) (check --db-url or HEARTLOG_DB_URL, and "
        + "that PostgreSQL is running)" + System.lineSeparator());
  }

  private static long countJsonValues(String text) throws IOException {
    long values = 0;
    try (JsonParser parser = new JsonFactory().createParser(text)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.START_OBJECT) {
          values++;
          parser.skipChildren();
        }
      }
    }
    return values;
  }
}
