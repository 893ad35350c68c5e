package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
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
 * .NET's console logger in its default format (Microsoft.Extensions.Logging's simple console
 * formatter), as a .NET worker service prints its log: each entry a header of level, category and
 * event id, the message indented below it, written at once. No .NET runs here: a Python program
 * writes entries in that shape, as the formatter lays them out, one write each.
 */
@Timeout(120)
class DotNetConsoleLinesTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private static final String WORKER = """
      import sys, time
      entries = [
          "info: Microsoft.Hosting.Lifetime[0]\\n      Application started. Press Ctrl+C to shut down.\\n",
          "warn: RenderWorker.Worker[0]\\n      VRAM at 95%\\n",
          "fail: RenderWorker.Worker[1001]\\n      Render of t-42 failed\\n"
          "      System.InvalidOperationException: model not loaded\\n"
          "         at RenderWorker.Worker.Render(Int32 frame) in /src/Worker.cs:line 12\\n",
          "info: RenderWorker.Worker[0]\\n      Settings:\\n        model=sdxl\\n",
          "fail: RenderWorker.Worker[0]\\n"
          "      System.AggregateException: One or more errors occurred. (out of memory)\\n"
          "       ---> RenderWorker.CudaException: out of memory\\n"
          "         at RenderWorker.Gpu.Allocate(Int64 bytes) in /src/Gpu.cs:line 40\\n"
          "         --- End of inner exception stack trace ---\\n"
          "         at RenderWorker.Worker.ExecuteAsync(CancellationToken stoppingToken) in /src/Worker.cs:line 30\\n",
          "crit: RenderWorker.Worker[0]\\n      Worker crashed\\n",
      ]
      for entry in entries:
          sys.stdout.write(entry)
          sys.stdout.flush()
          time.sleep(0.3)
      """;

  /** Serilog's console sink in its default template, each event one write, an exception's text below its line. */
  private static final String SERILOG_WORKER = """
      import sys, time
      events = [
          "[05:00:00 INF] Starting worker on gpu-1\\n",
          "[05:00:02 ERR] Render of \\"t-42\\" failed\\n"
          "System.InvalidOperationException: model not loaded\\n"
          "   at RenderWorker.Worker.Render(Int32 frame) in /src/Worker.cs:line 12\\n"
          "   at RenderWorker.Worker.ExecuteAsync(CancellationToken stoppingToken) in /src/Worker.cs:line 30\\n",
          "[05:00:03 FTL] Worker crashed\\n",
      ]
      for event in events:
          sys.stdout.write(event)
          sys.stdout.flush()
          time.sleep(0.3)
      """;

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aHeadersLevelIsItsFourLettersAndItsCategoryTheLogger() {
    ChildLineParser.Parsed fail = parser.parse("fail: RenderWorker.Worker[1001]", Level.INFO, "stdout");

    assertThat(fail.level()).isEqualTo(Level.ERROR);
    assertThat(fail.message()).as("the message is on the lines below").isEmpty();
    assertThat(fail.metadata()).containsEntry("logger", "RenderWorker.Worker").containsEntry("event_id", 1001);
    assertThat(List.of("trce", "dbug", "info", "warn", "crit"))
        .extracting(level -> parser.parse(level + ": App[0]", Level.WARNING, "stderr").level())
        .containsExactly(Level.DEBUG, Level.DEBUG, Level.INFO, Level.WARNING, Level.CRITICAL);
    assertThat(parser.parse("fail: see the log [1]", Level.INFO, "stdout").message()).as("no category and event id")
        .isEqualTo("fail: see the log [1]");
  }

  @Test
  void aSingleLineEntryHasItsMessageAndItsExceptionOnItsLineAfterATimeIfGiven() {
    // SingleLine = true, TimestampFormat = "HH:mm:ss ": each line end of the message and of the
    // exception's text is a space
    ChildLineParser.Parsed fail = parser.parse("05:00:02 fail: RenderWorker.Worker[1001] Render of t-42 failed "
        + "System.InvalidOperationException: model not loaded    at RenderWorker.Worker.Render(Int32 frame) in "
        + "/src/Worker.cs:line 12    at RenderWorker.Worker.ExecuteAsync(CancellationToken stoppingToken)",
        Level.INFO, "stdout");
    ChildLineParser.Parsed alone = parser.parse("2026-12-06 05:00:04.123 crit: RenderWorker.Worker[0] "
        + "System.AggregateException: One or more errors occurred. (out of memory)  ---> RenderWorker.CudaException: "
        + "out of memory    at RenderWorker.Gpu.Allocate(Int64 bytes) in /src/Gpu.cs:line 40    --- End of inner "
        + "exception stack trace ---    at RenderWorker.Worker.ExecuteAsync(CancellationToken stoppingToken)",
        Level.INFO, "stdout");
    ChildLineParser.Parsed noFrames = parser.parse("warn: RenderWorker.Worker[0] Retry after TimeoutException: gave up",
        Level.INFO, "stdout");

    // Before, the line was INFO on stdout, its message the whole line.
    assertThat(fail.level()).isEqualTo(Level.ERROR);
    assertThat(fail.message()).isEqualTo("Render of t-42 failed");
    assertThat(fail.metadata()).containsEntry("logger", "RenderWorker.Worker").containsEntry("exception",
        "System.InvalidOperationException: model not loaded\n   at RenderWorker.Worker.Render(Int32 frame) in "
            + "/src/Worker.cs:line 12\n   at RenderWorker.Worker.ExecuteAsync(CancellationToken stoppingToken)");
    assertThat(alone.level()).isEqualTo(Level.CRITICAL);
    assertThat(alone.message()).isEqualTo("System.AggregateException: One or more errors occurred. (out of memory)");
    assertThat(alone.metadata().get("exception")).isEqualTo("System.AggregateException: One or more errors occurred. "
        + "(out of memory)\n ---> RenderWorker.CudaException: out of memory\n   at RenderWorker.Gpu.Allocate(Int64 bytes) "
        + "in /src/Gpu.cs:line 40\n   --- End of inner exception stack trace ---\n"
        + "   at RenderWorker.Worker.ExecuteAsync(CancellationToken stoppingToken)");
    assertThat(noFrames.level()).isEqualTo(Level.WARNING);
    assertThat(noFrames.message()).as("no frames: no exception").isEqualTo("Retry after TimeoutException: gave up");
    assertThat(noFrames.metadata()).doesNotContainKey("exception");
    assertThat(parser.parse("05:00:06 fail: RenderWorker.Worker[7]", Level.INFO, "stdout"))
        .as("a header with a time, its message below").extracting(ChildLineParser.Parsed::level,
            ChildLineParser.Parsed::message).containsExactly(Level.ERROR, "");
    assertThat(parser.parse("frames done: 12 info: ok[1]", Level.INFO, "stdout").message()).as("no time before it")
        .isEqualTo("frames done: 12 info: ok[1]");
  }

  @Test
  void linesBelowAHeaderNotPaddedAsTheLoggerPadsThemAreLeftAsTheyAre() {
    RecordMetadata metadata = new RecordMetadata(2);
    metadata.put("logger", "RenderWorker.Worker");
    metadata.put("event_id", 0);
    Tracebacks.Line padded = new Tracebacks.Line(Instant.EPOCH, Level.ERROR,
        "Render failed\n      System.Exception: boom", null, metadata, 0);
    Tracebacks.Line withPrint = new Tracebacks.Line(Instant.EPOCH, Level.ERROR,
        "Render failed\nSystemExit: printed by the worker\n      System.Exception: boom", null, metadata, 0);

    assertThat(DotNetConsoleLines.laidOut(padded).metadata()).containsEntry("exception", "System.Exception: boom");
    assertThat(DotNetConsoleLines.laidOut(withPrint)).as("a print read with the entry").isSameAs(withPrint);
  }

  @Test
  void serilogsConsoleLinesGiveTheirLevel() {
    assertThat(List.of("VRB", "DBG", "INF", "WRN", "ERR", "FTL"))
        .extracting(level -> parser.parse("[05:00:00 " + level + "] m", Level.WARNING, "stderr").level())
        .containsExactly(Level.DEBUG, Level.DEBUG, Level.INFO, Level.WARNING, Level.ERROR, Level.CRITICAL);
    assertThat(parser.parse("[05:00:00 ERR] Render of \"t-42\" failed", Level.INFO, "stdout").message())
        .isEqualTo("Render of \"t-42\" failed");
    assertThat(parser.parse("[05:00:00 XYZ] m", Level.INFO, "stdout").message()).isEqualTo("[05:00:00 XYZ] m");
  }

  @Test
  void aSerilogErrorsExceptionIsItsRecordsAndNamesItsKind() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "Python is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("serilog.py"), SERILOG_WORKER);

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "serilog", url, List.of(), PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "serilog").stream()
        .filter(r -> !r.message().startsWith("the worker process exited")).toList();
    // Before, every line was INFO on stdout, each line of the exception a record of its own.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Starting worker on gpu-1"),
        tuple("ERROR", "Render of \"t-42\" failed"),
        tuple("CRITICAL", "Worker crashed"));
    assertThat(records.get(1).exception()).startsWith("System.InvalidOperationException: model not loaded\n"
        + "   at RenderWorker.Worker.Render(Int32 frame) in /src/Worker.cs:line 12\n").endsWith(":line 30");
    assertThat(store.errorKinds("serilog", java.time.Instant.now().minusSeconds(600), null, 10).kinds())
        .extracting(dev.heartlog.store.ErrorKind::exception).contains("System.InvalidOperationException: model not loaded");
  }

  @Test
  void eachEntryIsOneRecordAtItsLevelItsMessageTheLinesBelowItsHeader() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "Python is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("worker.py"), WORKER);

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "dotnet", url, List.of(), PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "dotnet").stream()
        .filter(r -> !r.message().startsWith("the worker process exited")).toList();
    // Before, fail and crit named no level: every entry but the warning was INFO, on stdout.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Application started. Press Ctrl+C to shut down."),
        tuple("WARNING", "VRAM at 95%"),
        tuple("ERROR", "Render of t-42 failed"),
        tuple("INFO", "Settings:\n  model=sdxl"),
        tuple("ERROR", "System.AggregateException: One or more errors occurred. (out of memory)"),
        tuple("CRITICAL", "Worker crashed"));
    assertThat(records.get(2).metadataJson()).contains("\"logger\": \"RenderWorker.Worker\"", "\"event_id\": 1001");
    // Before, the exception's text was the message's, six spaces before each line.
    assertThat(records.get(2).exception()).as("the exception's text below the message, its padding taken off")
        .isEqualTo("System.InvalidOperationException: model not loaded\n"
            + "   at RenderWorker.Worker.Render(Int32 frame) in /src/Worker.cs:line 12");
    assertThat(records.get(4).exception()).startsWith("System.AggregateException: One or more errors occurred.")
        .contains("\n ---> RenderWorker.CudaException: out of memory\n   at RenderWorker.Gpu.Allocate")
        .endsWith("in /src/Worker.cs:line 30");
    assertThat(records.get(0).exception()).isNull();
    assertThat(store.errorKinds("dotnet", java.time.Instant.now().minusSeconds(600), null, 10).kinds())
        .extracting(dev.heartlog.store.ErrorKind::exception)
        .contains("System.InvalidOperationException: model not loaded");
  }
}
