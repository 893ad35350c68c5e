package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.agent.Level;
import dev.heartlog.store.ErrorKind;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Elixir's Logger on the console in its default format ({@link ElixirLoggerLines}) and Elixir's
 * error reports below it and alone ({@link TracebackLines}), from Debian's Elixir 1.14 where it is
 * installed ({@code .ci/run} installs it).
 */
@Timeout(120)
class ElixirLoggerTest {

  private static final Path ELIXIR = Path.of("/usr/bin/elixir");

  /** A process's id, which may differ from run to run. */
  private static final String PID = "#PID<[\\d.]+>";

  /**
   * A worker that logs with its task in Logger's metadata, logs an error it rescued with its
   * report, lets a Task and a GenServer crash (Logger reports both), and ends on an error nothing
   * rescued.
   */
  private static final String WORKER = """
      require Logger
      Logger.configure_backend(:console, metadata: [:task_id])
      Logger.info("Starting worker on gpu-1")
      Logger.metadata(task_id: "t-42")
      Logger.info("Rendering frame 1")
      Logger.warning("VRAM at 95%")
      try do
        raise RuntimeError, "CUDA out of memory"
      rescue
        e -> Logger.error("Render failed\\n" <> Exception.format(:error, e, __STACKTRACE__))
      end
      Logger.metadata(task_id: nil)
      {:ok, _} = Task.start(fn -> raise ArgumentError, "bad frame 13" end)
      Process.sleep(300)
      defmodule Queue do
        use GenServer
        def init(state), do: {:ok, state}
        def handle_call(:render, _from, _state), do: raise "model not loaded"
      end
      {:ok, queue} = GenServer.start(Queue, %{jobs: []})
      try do
        GenServer.call(queue, :render)
      catch
        :exit, _ -> Logger.info("queue is down")
      end
      Process.sleep(300)
      raise KeyError, key: :frames, term: %{}
      """;

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aLinesLevelMetadataAndTaskAreRead() {
    ChildLineParser.Parsed error = parser.parse("06:25:45.195 request_id=F3x task_id=t-42 [error] Render failed",
        Level.INFO, "stdout");
    ChildLineParser.Parsed dated = parser.parse("2026-12-06 06:25:45.188 [info] Starting worker", Level.WARNING, "stderr");

    // Before, the level was read, but the time, the metadata and the level stayed in the message.
    assertThat(error.level()).isEqualTo(Level.ERROR);
    assertThat(error.message()).isEqualTo("Render failed");
    assertThat(error.task()).isEqualTo("t-42");
    assertThat(error.scope()).as("Logger's metadata is its process's").isEqualTo(ChildLineParser.TaskScope.LINE);
    assertThat(error.metadata()).containsEntry("request_id", "F3x").doesNotContainKey("task_id");
    assertThat(dated.message()).isEqualTo("Starting worker");
    assertThat(dated.task()).isNull();
    assertThat(dated.scope()).isEqualTo(ChildLineParser.TaskScope.CURRENT);
    assertThat(List.of("debug", "info", "notice", "warning", "warn", "error", "critical", "alert", "emergency"))
        .extracting(level -> parser.parse("06:25:45.188 [" + level + "] m", Level.WARNING, "stderr").level())
        .containsExactly(Level.DEBUG, Level.INFO, Level.INFO, Level.WARNING, Level.WARNING, Level.ERROR,
            Level.CRITICAL, Level.CRITICAL, Level.CRITICAL);
    assertThat(parser.parse("06:25:45.188 [verbose] m", Level.INFO, "stdout").message())
        .isEqualTo("06:25:45.188 [verbose] m");
  }

  @Test
  void eachErrorsReportIsItsRecordsExceptionAndTheTaskTheLinesOwn() throws Exception {
    assumeTrue(Files.isExecutable(ELIXIR), "Elixir is needed (.ci/run installs Debian's)");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("worker.exs"), WORKER);

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "elixir", url, List.of(), ELIXIR.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    List<StoredRecord> records = records(store, "elixir").stream()
        .filter(r -> !r.message().startsWith("heartlog run")).toList();
    // Before, each message kept the time, the metadata and the level; each report was the message
    // of its error, and the error nothing rescued a warning for each of its lines.
    assertThat(records).extracting(StoredRecord::level, r -> r.message().replaceAll(PID, "#PID<>"), StoredRecord::taskId)
        .containsExactly(
        tuple("INFO", "Starting worker on gpu-1", null),
        tuple("INFO", "Rendering frame 1", "t-42"),
        tuple("WARNING", "VRAM at 95%", "t-42"),
        tuple("ERROR", "Render failed", "t-42"),
        tuple("ERROR", "Task #PID<> started from #PID<> terminating", null),
        tuple("ERROR", "GenServer #PID<> terminating", null),
        tuple("INFO", "queue is down", null),
        tuple("ERROR", "** (KeyError) key :frames not found in: %{}", null),
        tuple("ERROR", "the worker process exited with code 1", null));
    assertThat(records.get(3).exception()).startsWith("** (RuntimeError) CUDA out of memory\n    " + worker + ":8: (file)\n");
    assertThat(records.get(4).exception()).startsWith("** (ArgumentError) bad frame 13\n")
        .contains("\nFunction: #Function<").endsWith(" in file:" + worker + ">\n    Args: []");
    assertThat(records.get(5).exception().replaceAll(PID, "#PID<>")).startsWith("** (RuntimeError) model not loaded\n    " + worker + ":18: ")
        .contains("\nLast message (from #PID<>): :render\nState: %{jobs: []}\nClient #PID<> is alive\n\n    (stdlib ")
        .contains(") gen.erl:");
    assertThat(records.get(7).exception()).startsWith("** (KeyError) key :frames not found in: %{}\n    " + worker
        + ":27: (file)\n");
    assertThat(store.errorKinds("elixir", Instant.now().minusSeconds(600), null, 10).kinds()).extracting(ErrorKind::exception)
        .contains("** (RuntimeError) CUDA out of memory", "** (ArgumentError) bad frame 13");
  }
}
