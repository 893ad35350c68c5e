package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TracebacksTest {

  private static final long QUIET = 200;

  /** What was recorded: level, message, task, time (seconds), exception or "-". */
  private final List<String> recorded = new ArrayList<>();
  private final Tracebacks tracebacks = new Tracebacks(
      (at, level, message, task, metadata) -> recorded.add(level + " " + message + " " + task + " " + at.getEpochSecond()
          + " " + metadata.getOrDefault("exception", "-")),
      QUIET, 10_000);
  /** The record's time in seconds, and the arrival's in nanoseconds: one apart a line, unless paused. */
  private long now;
  private long nanos;

  /** A line arriving now, at the level the parser gave it, in task t-1. */
  private void print(Level level, String text) {
    tracebacks.line(new Tracebacks.Line(Instant.ofEpochSecond(now), level, text, "t-1", Map.of("stream", "stderr"), nanos),
        text);
    now++;
    nanos++;
  }

  /** The worker prints nothing for a while. */
  private void pause(long pauseNanos) {
    nanos += pauseNanos;
  }

  /** A further line of an ERROR's message, as WorkerLines gives it: taken unless it may begin a stack trace. */
  private boolean furtherLine(String text) {
    boolean taken = tracebacks.furtherLineOfError(
        new Tracebacks.Line(Instant.ofEpochSecond(now), Level.WARNING, text, "t-1", Map.of("stream", "stderr"), nanos), text);
    now++;
    nanos++;
    return taken;
  }

  @Test
  void anErrorsFurtherLinesJoinItsMessageAndTheStackTraceAfterThemItsException() {
    print(Level.ERROR, "06:01:16.020 [main] ERROR com.example.Worker -- upload failed:");
    assertThat(furtherLine("  status=503")).isTrue();
    assertThat(furtherLine("java.io.IOException: disk full")).as("may begin a stack trace").isFalse();
    print(Level.WARNING, "java.io.IOException: disk full");
    assertThat(furtherLine("\tat com.example.Worker.upload(Worker.java:42)")).isFalse();
    print(Level.WARNING, "\tat com.example.Worker.upload(Worker.java:42)");
    tracebacks.end();

    assertThat(recorded).containsExactly("ERROR 06:01:16.020 [main] ERROR com.example.Worker -- upload failed:\n"
        + "  status=503 t-1 0 java.io.IOException: disk full\n\tat com.example.Worker.upload(Worker.java:42)");
    assertThat(furtherLine("  nothing held")).as("no ERROR line held").isFalse();
  }

  /** A line that names its own level (a logger's WARNING), arriving now in task t-1. */
  private void printOwn(Level level, String text) {
    tracebacks.line(new Tracebacks.Line(Instant.ofEpochSecond(now), level, text, "t-1", Map.of("stream", "stderr"), nanos,
        true), text);
    now++;
    nanos++;
  }

  @Test
  void aWarningOwnsATracebackReadWithItAndNoOtherAndALineOfTheStreamsLevelNone() {
    String frame = "  File \"w.py\", line 3, in <module>";
    tracebacks.reading(true, nanos);
    printOwn(Level.WARNING, "upload failed, retrying");
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, frame);
    print(Level.WARNING, "ConnectionError: S3 timed out");
    tracebacks.reading(false, nanos);
    tracebacks.reading(true, nanos);
    printOwn(Level.WARNING, "VRAM at 95%");
    tracebacks.reading(false, nanos);
    tracebacks.reading(true, nanos);
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, frame);
    print(Level.WARNING, "MemoryError: CUDA out of memory");
    tracebacks.reading(false, nanos);
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    tracebacks.reading(true, nanos);
    print(Level.WARNING, "printed on stderr");   // no level of its own: a traceback after it is not its
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, frame);
    print(Level.WARNING, "KeyError: 'model'");
    tracebacks.reading(false, nanos);
    tracebacks.end();

    String traceback = "Traceback (most recent call last):\n" + frame + "\n";
    assertThat(recorded).containsExactly(
        "WARNING upload failed, retrying t-1 0 " + traceback + "ConnectionError: S3 timed out",
        "WARNING VRAM at 95% t-1 4 -",
        "ERROR MemoryError: CUDA out of memory t-1 5 " + traceback + "MemoryError: CUDA out of memory",
        "WARNING printed on stderr t-1 8 -",
        "ERROR KeyError: 'model' t-1 9 " + traceback + "KeyError: 'model'");
  }

  @Test
  void anUncaughtTracebackIsOneErrorWithTheExceptionLineAsItsMessage() {
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"worker.py\", line 410, in process_single_task");
    print(Level.WARNING, "    frames = pipe(prompt)");
    print(Level.WARNING, "torch.OutOfMemoryError: CUDA out of memory");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "next line");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR torch.OutOfMemoryError: CUDA out of memory t-1 0 Traceback (most recent call last):\n"
            + "  File \"worker.py\", line 410, in process_single_task\n    frames = pipe(prompt)\n"
            + "torch.OutOfMemoryError: CUDA out of memory",
        "WARNING next line t-1 4 -");
  }

  @Test
  void chainedExceptionsAreOneTracebackWhoseMessageIsTheLastException() {
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"worker.py\", line 3, in load");
    print(Level.WARNING, "KeyError: 'model'");
    print(Level.WARNING, "");
    print(Level.WARNING, "During handling of the above exception, another exception occurred:");
    print(Level.WARNING, "");
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"worker.py\", line 5, in load");
    print(Level.WARNING, "RuntimeError: no model to load");
    print(Level.WARNING, "");
    tracebacks.tick(now + QUIET);

    assertThat(recorded).containsExactly(
        "ERROR RuntimeError: no model to load t-1 0 Traceback (most recent call last):\n"
            + "  File \"worker.py\", line 3, in load\nKeyError: 'model'\n\n"
            + "During handling of the above exception, another exception occurred:\n\n"
            + "Traceback (most recent call last):\n  File \"worker.py\", line 5, in load\nRuntimeError: no model to load");
  }

  @Test
  void aCauseNeverRaisedIsTheFirstExceptionOfItsChainAndAnExceptionLineBeforeABlankLineAloneIsNot() {
    // raise RuntimeError("render failed") from ValueError("bad model\nsecond line")
    List<String> printed = List.of(
        "ValueError: bad model",
        "second line",
        "",
        "The above exception was the direct cause of the following exception:",
        "",
        "Traceback (most recent call last):",
        "  File \"worker.py\", line 1, in <module>",
        "RuntimeError: render failed");
    printed.forEach(text -> print(Level.WARNING, text));
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "java.io.IOException: disk full");
    print(Level.WARNING, "");
    print(Level.WARNING, "retrying");
    print(Level.WARNING, "\tat com.example.Upload.run(Upload.java:9)");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR RuntimeError: render failed t-1 0 " + String.join("\n", printed),
        "WARNING java.io.IOException: disk full t-1 8 -",
        "WARNING retrying t-1 10 -",
        "WARNING at com.example.Upload.run(Upload.java:9) t-1 11 \tat com.example.Upload.run(Upload.java:9)");
  }

  @Test
  void aProcessPoolsFailureIsOneErrorWithTheTracebackOfItsWorkerProcess() {
    // log.exception("job failed") of a multiprocessing.Pool job's exception
    List<String> traceback = List.of(
        "multiprocessing.pool.RemoteTraceback: ",
        "\"\"\"",
        "Traceback (most recent call last):",
        "  File \"/usr/lib/python3.11/multiprocessing/pool.py\", line 125, in worker",
        "  File \"worker.py\", line 8, in job",
        "ValueError: bad frame 1",
        "\"\"\"",
        "",
        "The above exception was the direct cause of the following exception:",
        "",
        "Traceback (most recent call last):",
        "  File \"worker.py\", line 14, in <module>",
        "ValueError: bad frame 1");
    print(Level.ERROR, "ERROR:root:job failed");
    traceback.forEach(text -> print(Level.WARNING, text));
    print(Level.INFO, "INFO:root:next job");
    print(Level.WARNING, "concurrent.futures.process._RemoteTraceback: ");   // uncaught
    traceback.subList(1, traceback.size()).forEach(text -> print(Level.WARNING, text));
    tracebacks.end();

    String text = String.join("\n", traceback);
    assertThat(recorded).containsExactly(
        "ERROR ERROR:root:job failed t-1 0 " + text,
        "INFO INFO:root:next job t-1 14 -",
        "ERROR ValueError: bad frame 1 t-1 15 " + text.replace("multiprocessing.pool.RemoteTraceback: ",
            "concurrent.futures.process._RemoteTraceback: "));
  }

  @Test
  void whatPythonSaysBeforeATracebackOfItsOwnIsPartOfIt() {
    List<String> thread = List.of(
        "Exception in thread Thread-1 (render):",
        "Traceback (most recent call last):",
        "  File \"worker.py\", line 3, in render",
        "ValueError: bad frame");
    List<String> ignored = List.of(
        "Exception ignored in: <function Frame.__del__ at 0x7f824dc78860>",
        "Traceback (most recent call last):",
        "  File \"worker.py\", line 7, in __del__",
        "RuntimeError: cleanup failed");
    List<String> logCall = List.of(   // log.info("frame %d of %d", 7)
        "--- Logging error ---",
        "Traceback (most recent call last):",
        "  File \"/usr/lib/python3.11/logging/__init__.py\", line 377, in getMessage",
        "TypeError: not enough arguments for format string",
        "Call stack:",
        "  File \"worker.py\", line 3, in <module>",
        "Message: 'frame %d of %d'",
        "Arguments: (7,)");
    thread.forEach(text -> print(Level.WARNING, text));
    ignored.forEach(text -> print(Level.WARNING, text));
    logCall.forEach(text -> print(Level.WARNING, text));
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "Exception in thread Thread-2 (upload):");   // no traceback after it
    print(Level.WARNING, "retrying");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR ValueError: bad frame t-1 0 " + String.join("\n", thread),
        "ERROR RuntimeError: cleanup failed t-1 4 " + String.join("\n", ignored),
        "ERROR TypeError: not enough arguments for format string t-1 8 " + String.join("\n", logCall),
        "WARNING Exception in thread Thread-2 (upload): t-1 16 -",
        "WARNING retrying t-1 17 -");
  }

  @Test
  void aTracebackAfterAnErrorLineGoesIntoThatLinesRecord() {
    print(Level.INFO, "INFO:root:loading");
    print(Level.ERROR, "ERROR:root:render failed");   // logging.exception("render failed")
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"worker.py\", line 3, in <module>");
    print(Level.WARNING, "ValueError: bad frame");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "INFO INFO:root:loading t-1 0 -",
        "ERROR ERROR:root:render failed t-1 1 Traceback (most recent call last):\n"
            + "  File \"worker.py\", line 3, in <module>\nValueError: bad frame");
  }

  @Test
  void aLoggedExceptionsMessageOfSeveralLinesInItsReadIsPartOfIt() {
    List<String> traceback = List.of(   // log.exception("bad task payload") of a pydantic ValidationError
        "Traceback (most recent call last):",
        "  File \"worker.py\", line 5, in <module>",
        "ValueError: 2 validation errors for Config",
        "model",
        "  Field required [type=missing]");
    tracebacks.reading(true, nanos);
    print(Level.ERROR, "ERROR:jobs:bad task payload");
    traceback.forEach(text -> print(Level.WARNING, text));
    tracebacks.reading(false, nanos);
    tracebacks.reading(true, nanos);
    print(Level.WARNING, "steps: 0");   // the worker's own, printed right after
    tracebacks.reading(false, nanos);
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR ERROR:jobs:bad task payload t-1 0 " + String.join("\n", traceback),
        "WARNING steps: 0 t-1 6 -");
  }

  @Test
  void theStackOfARecordLoggedWithStackInfoIsPartOfIt() {
    tracebacks.reading(true, nanos);   // log.warning("claim took 12 s", stack_info=True)
    printOwn(Level.WARNING, "WARNING:jobs:claim took 12 s");
    print(Level.WARNING, "Stack (most recent call last):");
    print(Level.WARNING, "  File \"worker.py\", line 6, in <module>");
    print(Level.WARNING, "    claim()");
    tracebacks.reading(false, nanos);
    tracebacks.reading(true, nanos);
    print(Level.ERROR, "ERROR:jobs:no GPU free");
    print(Level.WARNING, "Stack (most recent call last):");
    print(Level.WARNING, "  File \"worker.py\", line 8, in <module>");
    tracebacks.reading(false, nanos);
    tracebacks.reading(true, nanos);
    print(Level.INFO, "INFO:jobs:next");
    tracebacks.reading(false, nanos);
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "WARNING WARNING:jobs:claim took 12 s t-1 0 Stack (most recent call last):\n"
            + "  File \"worker.py\", line 6, in <module>\n    claim()",
        "ERROR ERROR:jobs:no GPU free t-1 4 Stack (most recent call last):\n  File \"worker.py\", line 8, in <module>",
        "INFO INFO:jobs:next t-1 7 -");
  }

  @Test
  void anErrorLineWaitsForAQuietPeriodThenIsRecordedWithTheTimeItCameOtherLinesAtOnce() {
    print(Level.ERROR, "ERROR:root:upload failed");
    tracebacks.tick(now + QUIET - 2);
    assertThat(recorded).isEmpty();

    tracebacks.tick(now + QUIET);
    print(Level.INFO, "INFO:root:retrying");
    assertThat(recorded).containsExactly("ERROR ERROR:root:upload failed t-1 0 -", "INFO INFO:root:retrying t-1 1 -");
  }

  /** The reading thread kept from running between two lines of one read, as on a busy machine. */
  @Test
  void whileTheLinesOfAReadArePassedOnTheStreamIsNotQuiet() {
    tracebacks.reading(true, nanos);
    print(Level.ERROR, "ERROR:root:render failed");
    tracebacks.tick(nanos + 10 * QUIET);   // the other lines of the read not passed on yet
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"worker.py\", line 3, in <module>");
    print(Level.WARNING, "ValueError: bad frame");
    tracebacks.reading(false, nanos);
    tracebacks.tick(nanos + QUIET);

    assertThat(recorded).containsExactly("ERROR ERROR:root:render failed t-1 0 Traceback (most recent call last):\n"
        + "  File \"worker.py\", line 3, in <module>\nValueError: bad frame");
  }

  @Test
  void aHeldLineWithoutATaskIsReleasedWhenAskedBeforeTheTaskChanges() {
    tracebacks.line(new Tracebacks.Line(Instant.ofEpochSecond(now), Level.CRITICAL, "CRITICAL:root:disk full", null,
        Map.of("stream", "stderr"), nanos), "CRITICAL:root:disk full");
    tracebacks.releaseHeld();

    assertThat(recorded).containsExactly("CRITICAL CRITICAL:root:disk full null 0 -");
  }

  /**
   * rq's burst worker: the ERROR line and its traceback on stderr, the next job's start on stdout,
   * whose thread changed the task before this stream's thread read the traceback (CI, under load).
   */
  @Test
  void aHeldLineWithItsTaskStaysHeldWhenTheTaskChangesAndTakesTheTracebackAfter() {
    print(Level.ERROR, "[Job j-13]: exception raised while executing (jobs.render)");
    tracebacks.releaseHeld();
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"jobs.py\", line 9, in render");
    print(Level.WARNING, "RuntimeError: CUDA out of memory on frame 13");
    tracebacks.end();

    assertThat(recorded).containsExactly("ERROR [Job j-13]: exception raised while executing (jobs.render) t-1 0 "
        + "Traceback (most recent call last):\n  File \"jobs.py\", line 9, in render\n"
        + "RuntimeError: CUDA out of memory on frame 13");
  }

  @Test
  void aTracebackCutShortIsRecordedAsFarAsItCame() {
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "plain line");   // no frame: the traceback ends before it
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"x.py\", line 1, in <module>");
    tracebacks.tick(now + QUIET);          // the process stopped printing mid-traceback

    assertThat(recorded).containsExactly(
        "ERROR Traceback (most recent call last): t-1 0 Traceback (most recent call last):",
        "WARNING plain line t-1 1 -",
        "ERROR Traceback (most recent call last): t-1 2 Traceback (most recent call last):\n"
            + "  File \"x.py\", line 1, in <module>");
  }

  @Test
  void aBlankLineIsNoRecord() {
    print(Level.WARNING, "");
    print(Level.WARNING, "   ");
    print(Level.WARNING, "text");
    tracebacks.end();

    assertThat(recorded).containsExactly("WARNING text t-1 2 -");
  }

  @Test
  void indentedLinesOutsideATracebackAreLinesOfTheirOwn() {
    print(Level.INFO, "config:");
    print(Level.INFO, "  steps: 8");
    print(Level.INFO, "  at 5 fps");
    tracebacks.end();

    assertThat(recorded).containsExactly("INFO config: t-1 0 -", "INFO   steps: 8 t-1 1 -", "INFO   at 5 fps t-1 2 -");
  }
  @Test
  void anUncaughtJavaExceptionIsOneErrorWithItsCausesAndTheLineThatNamesItAsTheMessage() {
    print(Level.WARNING, "Exception in thread \"main\" java.lang.IllegalStateException: render failed");
    print(Level.WARNING, "\tat com.example.Render.run(Render.java:42)");
    print(Level.WARNING, "\tat java.base/java.lang.Thread.run(Thread.java:833)");
    print(Level.WARNING, "Caused by: java.io.IOException: No space left on device");
    print(Level.WARNING, "\tat com.example.Render.write(Render.java:90)");
    print(Level.WARNING, "\t... 2 more");
    print(Level.WARNING, "next line");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR Exception in thread \"main\" java.lang.IllegalStateException: render failed t-1 0 "
            + "Exception in thread \"main\" java.lang.IllegalStateException: render failed\n"
            + "\tat com.example.Render.run(Render.java:42)\n\tat java.base/java.lang.Thread.run(Thread.java:833)\n"
            + "Caused by: java.io.IOException: No space left on device\n\tat com.example.Render.write(Render.java:90)\n"
            + "\t... 2 more",
        "WARNING next line t-1 6 -");
  }

  @Test
  void aStackTraceAfterAnErrorLineGoesIntoThatLinesRecord() {
    // Logback's default pattern, log.error("render failed", e)
    print(Level.ERROR, "12:00:00.123 [main] ERROR c.e.Worker - render failed");
    print(Level.WARNING, "org.postgresql.util.PSQLException: Connection refused");
    print(Level.WARNING, "\tat org.postgresql.Driver.connect(Driver.java:297)");
    print(Level.WARNING, "\tSuppressed: java.io.IOException: close failed");
    print(Level.WARNING, "\t\tat c.e.Worker.close(Worker.java:30)");
    print(Level.WARNING, "\t\t... 1 common frames omitted");
    tracebacks.tick(now + QUIET);

    assertThat(recorded).containsExactly(
        "ERROR 12:00:00.123 [main] ERROR c.e.Worker - render failed t-1 0 "
            + "org.postgresql.util.PSQLException: Connection refused\n\tat org.postgresql.Driver.connect(Driver.java:297)\n"
            + "\tSuppressed: java.io.IOException: close failed\n\t\tat c.e.Worker.close(Worker.java:30)\n"
            + "\t\t... 1 common frames omitted");
  }

  @Test
  void aNodeErrorIsOneError() {
    print(Level.WARNING, "TypeError [ERR_INVALID_ARG_TYPE]: The \"path\" argument must be of type string");
    print(Level.WARNING, "    at render (/app/render.js:12:5)");
    print(Level.WARNING, "    at /app/index.js:3:1");
    print(Level.WARNING, "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)");
    print(Level.WARNING, "Error: boom");
    print(Level.WARNING, "    at Object.<anonymous> (/app/x.js:1:7)");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR TypeError [ERR_INVALID_ARG_TYPE]: The \"path\" argument must be of type string t-1 0 "
            + "TypeError [ERR_INVALID_ARG_TYPE]: The \"path\" argument must be of type string\n"
            + "    at render (/app/render.js:12:5)\n    at /app/index.js:3:1\n"
            + "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
        "ERROR Error: boom t-1 4 Error: boom\n    at Object.<anonymous> (/app/x.js:1:7)");
  }

  @Test
  void aLineThatOnlyLooksLikeAnExceptionIsALineOfItsOwnInItsPlace() {
    print(Level.ERROR, "ERROR:root:upload failed");
    print(Level.INFO, "s3.upload: retrying");   // a qualified name and a colon, but no frames follow
    print(Level.INFO, "INFO:root:uploaded");
    print(Level.INFO, "model.safetensors: loaded");
    tracebacks.tick(now + QUIET);

    assertThat(recorded).containsExactly(
        "ERROR ERROR:root:upload failed t-1 0 -",
        "INFO s3.upload: retrying t-1 1 -",
        "INFO INFO:root:uploaded t-1 2 -",
        "INFO model.safetensors: loaded t-1 3 -");
  }

  @Test
  void framesWithNoExceptionLineAreOneRecordAtTheirLevel() {
    print(Level.WARNING, "WARN retrying the upload");
    print(Level.WARNING, "\tat c.e.Upload.send(Upload.java:12)");
    print(Level.WARNING, "\tat c.e.Upload.run(Upload.java:5)");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "WARNING WARN retrying the upload t-1 0 -",
        "WARNING at c.e.Upload.send(Upload.java:12) t-1 1 \tat c.e.Upload.send(Upload.java:12)\n"
            + "\tat c.e.Upload.run(Upload.java:5)");
  }
  @Test
  void aPythonWarningAndItsSourceLineAreOneRecord() {
    List<Map<String, Object>> metadata = new ArrayList<>();
    Tracebacks warnings = new Tracebacks((at, level, message, task, meta) -> {
      recorded.add(level + " " + message);
      metadata.add(meta);
    }, QUIET, 10_000);
    String futureWarning = "/usr/lib/python3/site-packages/torch/utils/_pytree.py:185: FutureWarning: optree is too old";
    String userWarning = "/app/worker.py:12: UserWarning: TypedStorage is deprecated";
    for (String text : List.of(futureWarning, "  warnings.warn(", userWarning, "INFO:root:loaded", userWarning)) {
      warnings.line(new Tracebacks.Line(Instant.ofEpochSecond(now), Level.WARNING, text, "t-1", Map.of("stream", "stderr"), now), text);
      now++;
    }
    warnings.tick(now + QUIET);

    assertThat(recorded).containsExactly("WARNING " + futureWarning, "WARNING " + userWarning,
        "WARNING INFO:root:loaded", "WARNING " + userWarning);
    assertThat(metadata.get(0)).containsEntry("source", "warnings.warn(").containsEntry("stream", "stderr");
    assertThat(metadata.get(1)).doesNotContainKey("source");
    assertThat(metadata.get(3)).doesNotContainKey("source");
  }
  @Test
  void theLinesOfAnUncaughtExceptionsMessageThatComeWithItArePartOfIt() {
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"worker.py\", line 410, in render");
    print(Level.WARNING, "RuntimeError: CUDA error: device-side assert triggered");
    print(Level.WARNING, "CUDA kernel errors might be asynchronously reported at some other API call.");
    print(Level.WARNING, "For debugging consider passing CUDA_LAUNCH_BLOCKING=1");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "printed later: a line of its own");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR RuntimeError: CUDA error: device-side assert triggered t-1 0 Traceback (most recent call last):\n"
            + "  File \"worker.py\", line 410, in render\nRuntimeError: CUDA error: device-side assert triggered\n"
            + "CUDA kernel errors might be asynchronously reported at some other API call.\n"
            + "For debugging consider passing CUDA_LAUNCH_BLOCKING=1",
        "WARNING printed later: a line of its own t-1 5 -");
  }

  @Test
  void afterALoggedTracebackOrALineNamingItsLevelTheNextLinesAreTheWorkersOwn() {
    tracebacks.reading(true, nanos);   // logging writes a record in one write: the worker goes on
    print(Level.ERROR, "ERROR:root:render failed");
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"worker.py\", line 3, in render");
    print(Level.WARNING, "ValueError: bad frame");
    tracebacks.reading(false, nanos);
    tracebacks.reading(true, nanos);
    print(Level.WARNING, "retrying");
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"worker.py\", line 3, in render");
    print(Level.WARNING, "ValueError: bad frame");
    print(Level.INFO, "INFO:root:retrying");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR ERROR:root:render failed t-1 0 Traceback (most recent call last):\n"
            + "  File \"worker.py\", line 3, in render\nValueError: bad frame",
        "WARNING retrying t-1 4 -",
        "ERROR ValueError: bad frame t-1 5 Traceback (most recent call last):\n"
            + "  File \"worker.py\", line 3, in render\nValueError: bad frame",
        "INFO INFO:root:retrying t-1 8 -");
  }
  @Test
  void aNodeUncaughtErrorIsOneErrorWithWhereItWasThrownAndTheVersion() {
    List<String> printed = List.of(
        "/app/render.js:2",
        "function render() { throw new TypeError(\"Cannot read properties of undefined (reading 'width')\"); }",
        "                    ^",
        "",
        "TypeError: Cannot read properties of undefined (reading 'width')",
        "    at render (/app/render.js:2:27)",
        "    at node:internal/main/run_main_module:28:49",
        "",
        "Node.js v20.20.2");
    printed.forEach(text -> print(Level.WARNING, text));
    print(Level.WARNING, "/data/frames/0001.png:3");   // a place, but no error follows
    print(Level.WARNING, "next line");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR TypeError: Cannot read properties of undefined (reading 'width') t-1 0 " + String.join("\n", printed),
        "WARNING /data/frames/0001.png:3 t-1 9 -",
        "WARNING next line t-1 10 -");
  }
  @Test
  void aJvmExceptionsMessageOfSeveralLinesStaysWithItsFrames() {
    print(Level.ERROR, "12:00:00.123 [main] ERROR c.e.Queue - saving the task failed");
    print(Level.ERROR, "org.postgresql.util.PSQLException: ERROR: duplicate key value violates unique constraint \"tasks_pkey\"");
    print(Level.WARNING, "  Detail: Key (id)=(42) already exists.");
    print(Level.WARNING, "\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)");
    print(Level.WARNING, "s3.upload: retrying");   // looks like an exception line; what follows is no message
    print(Level.WARNING, "  in 5 s");
    tracebacks.tick(nanos + QUIET);

    assertThat(recorded).containsExactly(
        "ERROR 12:00:00.123 [main] ERROR c.e.Queue - saving the task failed t-1 0 "
            + "org.postgresql.util.PSQLException: ERROR: duplicate key value violates unique constraint \"tasks_pkey\"\n"
            + "  Detail: Key (id)=(42) already exists.\n"
            + "\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)",
        "WARNING s3.upload: retrying t-1 4 -",
        "WARNING   in 5 s t-1 5 -");
  }
  @Test
  void aPythonFaultHandlersDumpIsOneRecordAnErrorWhereItIsFatal() {
    List<String> fatal = List.of(
        "Fatal Python error: Segmentation fault",
        "",
        "Thread 0x00007fd618b4a6c0 (most recent call first):",
        "  File \"/app/worker.py\", line 5 in heartbeat",
        "  File \"/usr/lib/python3.11/threading.py\", line 982 in run",
        "",
        "Current thread 0x00007fd61913cb80 [python3] (most recent call first):",
        "  File \"/app/render.py\", line 4 in render",
        "  <no Python frame>",
        "",
        "Extension modules: numpy.core._multiarray_umath, torch._C (total: 2)");
    fatal.forEach(text -> print(Level.WARNING, text));
    print(Level.WARNING, "");
    print(Level.WARNING, "a line of its own");
    List<String> watchdog = List.of(   // faulthandler.dump_traceback_later(300)
        "Timeout (0:05:00)!",
        "Thread 0x00007fd618b4a6c0 (most recent call first):",
        "  File \"/app/worker.py\", line 5 in wait");
    watchdog.forEach(text -> print(Level.WARNING, text));
    print(Level.INFO, "still waiting");
    print(Level.WARNING, "Stack (most recent call first):");   // faulthandler.dump_traceback(all_threads=False)
    print(Level.WARNING, "  File \"/app/worker.py\", line 9 in report");
    print(Level.INFO, "done");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR Fatal Python error: Segmentation fault t-1 0 " + String.join("\n", fatal),
        "WARNING a line of its own t-1 12 -",
        "WARNING Timeout (0:05:00)! t-1 13 " + String.join("\n", watchdog),
        "INFO still waiting t-1 16 -",
        "WARNING Stack (most recent call first): t-1 17 Stack (most recent call first):\n"
            + "  File \"/app/worker.py\", line 9 in report",
        "INFO done t-1 19 -");
  }

  @Test
  void aNodeErrorsPropertiesAfterItsLastFrameArePartOfItToTheirClosingBrace() {
    List<String> wrapped = List.of(
        "Error: upload failed",
        "    at Socket.<anonymous> (/app/upload.js:5:19)",
        "    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {",
        "  [cause]: Error: connect ECONNREFUSED 127.0.0.1:5432",
        "      at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16) {",
        "    errno: -111,",
        "    code: 'ECONNREFUSED',",
        "    data: { attempt: 3 },",
        "  },",
        "  [errors]: [",
        "    'a'",
        "  ]",
        "}");
    wrapped.forEach(text -> print(Level.WARNING, text));
    print(Level.WARNING, "Error: connect ECONNREFUSED 127.0.0.1:5432");   // the next error, right after
    print(Level.WARNING, "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16) {");
    print(Level.WARNING, "  code: 'ECONNREFUSED'");
    print(Level.WARNING, "}");
    print(Level.WARNING, "retrying");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR Error: upload failed t-1 0 " + String.join("\n", wrapped),
        "ERROR Error: connect ECONNREFUSED 127.0.0.1:5432 t-1 13 Error: connect ECONNREFUSED 127.0.0.1:5432\n"
            + "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16) {\n  code: 'ECONNREFUSED'\n}",
        "WARNING retrying t-1 17 -");
  }

  @Test
  void whateverNodeThrowsUncaughtIsOneErrorAndItsWarningsNoteIsPartOfTheWarning() {
    List<String> rejection = List.of(
        "node:internal/process/promises:389",
        "      new UnhandledPromiseRejection(reason);",
        "      ^",
        "",
        "UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch"
            + " block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason"
            + " \"oops\".",
        "    at throwUnhandledRejectionsMode (node:internal/process/promises:389:7) {",
        "  code: 'ERR_UNHANDLED_REJECTION'",
        "}",
        "",
        "Node.js v20.20.2");
    List<String> string = List.of(
        "/app/render.js:2",
        "setTimeout(() => { throw \"oops\"; }, 10);",
        "                   ^",
        "oops",
        "(Use `node --trace-uncaught ...` to show where the exception was thrown)",
        "",
        "Node.js v20.20.2");
    List<Map<String, Object>> metadata = new ArrayList<>();
    Tracebacks node = new Tracebacks((at, level, message, task, fields) -> {
      recorded.add(level + " " + message + " " + fields.getOrDefault("exception", "-"));
      metadata.add(fields);
    }, QUIET, 10_000);
    long arrived = 0;
    for (String text : Stream.of(List.of("(node:4242) [DEP0005] DeprecationWarning: Buffer() is deprecated",
            "(Use `node --trace-deprecation ...` to show where the warning was created)"), rejection, string,
        List.of("(node:4242) Warning: plain one", "next line")).flatMap(List::stream).toList()) {
      node.line(new Tracebacks.Line(Instant.ofEpochSecond(arrived), Level.WARNING, text, null, Map.of(), arrived++), text);
    }
    node.end();

    assertThat(recorded).containsExactly(
        "WARNING (node:4242) [DEP0005] DeprecationWarning: Buffer() is deprecated -",
        "ERROR " + rejection.get(4) + " " + String.join("\n", rejection),
        "ERROR oops " + String.join("\n", string),
        "WARNING (node:4242) Warning: plain one -",
        "WARNING next line -");
    assertThat(metadata.get(0)).containsEntry("note", "(Use `node --trace-deprecation ...` to show where the warning was created)");
  }

  @Test
  void theJvmsCrashReportIsOneErrorAndLinesOfHashesOfTheWorkersAreTheirOwn() {
    List<String> report = List.of(
        "#",
        "# There is insufficient memory for the Java Runtime Environment to continue.",
        "# Native memory allocation (mmap) failed to map 65536 bytes for committing reserved memory.",
        "# An error report file with more information is saved as:",
        "# /app/hs_err_pid4242.log");
    print(Level.INFO, "#");
    print(Level.INFO, "# frames done");
    report.forEach(text -> print(Level.INFO, text));
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "INFO # t-1 0 -",
        "INFO # frames done t-1 1 -",
        "ERROR There is insufficient memory for the Java Runtime Environment to continue. Native memory allocation (mmap)"
            + " failed to map 65536 bytes for committing reserved memory. t-1 2 " + String.join("\n", report));
  }

  @Test
  void aGoPanicIsOneErrorWithItsGoroutines() {
    List<String> printed = List.of(
        "panic: runtime error: invalid memory address or nil pointer dereference",
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f1b2]",
        "",
        "goroutine 1 [running]:",
        "main.(*Queue).claim(0x0, {0x4b2f3e, 0x6})",
        "\t/app/queue.go:42 +0x12",
        "main.main()",
        "\t/app/main.go:20 +0x1d",
        "",
        "goroutine 7 [chan receive]:",
        "main.heartbeat(0xc000012345)",
        "\t/app/heartbeat.go:15 +0x45",
        "created by main.main in goroutine 1",
        "\t/app/main.go:18 +0x85",
        "exit status 2");
    printed.forEach(text -> print(Level.WARNING, text));
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR panic: runtime error: invalid memory address or nil pointer dereference t-1 0 " + String.join("\n", printed));
  }
  @Test
  void aJavaUtilLoggingRecordOfTwoLinesIsOneWithItsLevelClassAndMethod() {
    List<Map<String, Object>> metadata = new ArrayList<>();
    Tracebacks jul = new Tracebacks((at, level, message, task, meta) -> {
      recorded.add(level + " " + message + " " + at.getEpochSecond() + " " + meta.getOrDefault("exception", "-"));
      metadata.add(meta);
    }, QUIET, 10_000);
    List<String> printed = List.of(
        "Nov 29, 2026 10:00:00 AM com.example.Worker render",
        "INFO: Loading model wan2.1",
        "Nov 29, 2026 10:00:01 AM com.example.Worker render",
        "SEVERE: render failed",
        "java.lang.IllegalStateException: CUDA out of memory",
        "\tat com.example.Worker.render(Worker.java:42)",
        "Nov 29, 2026 10:00:02 AM com.example.Worker poll",
        "FINE: nothing to do",
        "Nov 29, 2026 10:00:03 AM com.example.Worker poll");   // its second line never comes
    for (String text : printed) {
      jul.line(new Tracebacks.Line(Instant.ofEpochSecond(now), Level.WARNING, text, "t-1", Map.of("stream", "stderr"), nanos), text);
      now++;
      nanos++;
    }
    jul.tick(nanos + QUIET);

    assertThat(recorded).containsExactly(
        "INFO Loading model wan2.1 0 -",
        "ERROR render failed 2 java.lang.IllegalStateException: CUDA out of memory\n\tat com.example.Worker.render(Worker.java:42)",
        "DEBUG nothing to do 6 -",
        "WARNING Nov 29, 2026 10:00:03 AM com.example.Worker poll 8 -");
    assertThat(metadata.get(0)).containsEntry("logger", "com.example.Worker").containsEntry("method", "render")
        .containsEntry("stream", "stderr");
  }
  @Test
  void aRustPanicIsOneErrorWhoseMessageIsThePanicsWithItsBacktrace() {
    List<String> panic = List.of(
        "thread 'main' (22766) panicked at src/queue.rs:1:30:",
        "index out of bounds: the len is 3 but the index is 5",
        "stack backtrace:",
        "   0: __rustc::rust_begin_unwind",
        "             at /rustc/59807616e1fa/library/std/src/panicking.rs:689:5",
        "   1: worker::claim",
        "note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.");
    panic.forEach(text -> print(Level.WARNING, text));
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "thread 'render' panicked at 'CUDA device not found', src/gpu.rs:12:9");   // before Rust 1.73
    print(Level.WARNING, "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR thread 'main' (22766) panicked at src/queue.rs:1:30: index out of bounds: the len is 3 but the index is 5 t-1 0 "
            + String.join("\n", panic),
        "ERROR thread 'render' panicked at 'CUDA device not found', src/gpu.rs:12:9 t-1 7 "
            + "thread 'render' panicked at 'CUDA device not found', src/gpu.rs:12:9\n"
            + "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace");
  }
  @Test
  void aRustBacktraceWhoseLastLineComesLateIsStillOneRecord() {
    print(Level.WARNING, "thread 'main' (7105) panicked at src/queue.rs:1:34:");
    print(Level.WARNING, "index out of bounds: the len is 3 but the index is 5");
    print(Level.WARNING, "stack backtrace:");
    print(Level.WARNING, "   0: claim::claim");
    tracebacks.tick(nanos + QUIET);   // quiet as long as a held line waits, while it symbolizes
    assertThat(recorded).isEmpty();

    pause(QUIET + QUIET / 2);
    print(Level.WARNING, "note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.");
    tracebacks.tick(nanos + QUIET * Tracebacks.SLOW_TRACEBACK_QUIET);

    assertThat(recorded).singleElement().asString()
        .startsWith("ERROR thread 'main' (7105) panicked at src/queue.rs:1:34: index out of bounds")
        .endsWith("   0: claim::claim\nnote: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.");
  }

  @Test
  void aLineThatWouldMakeATracebackTooLongIsALineOfItsOwnAndNotPartOfIt() {
    List<String> records = new ArrayList<>();
    Tracebacks small = new Tracebacks((at, level, message, task, meta) ->
        records.add(level + " " + message + " | " + meta.getOrDefault("exception", "-")), QUIET, 60);
    for (String text : List.of("Traceback (most recent call last):", "  File \"worker.py\", line 410, in render")) {
      small.line(new Tracebacks.Line(Instant.ofEpochSecond(now), Level.WARNING, text, "t-1", Map.of(), nanos++), text);
    }
    small.end();

    assertThat(records).containsExactly(
        "ERROR Traceback (most recent call last): | Traceback (most recent call last):",
        "WARNING   File \"worker.py\", line 410, in render | -");
  }
  @Test
  void aPythonExceptionGroupIsOneErrorWhoseMessageIsTheGroups() {
    List<String> printed = List.of(
        "  + Exception Group Traceback (most recent call last):",
        "  |   File \"worker.py\", line 3, in <module>",
        "  |     render()",
        "  | ExceptionGroup: render failed (2 sub-exceptions)",
        "  +-+---------------- 1 ----------------",
        "    | ValueError: bad frame",
        "    +---------------- 2 ----------------",
        "    | RuntimeError: CUDA out of memory",
        "    +------------------------------------");
    printed.forEach(text -> print(Level.WARNING, text));
    print(Level.WARNING, "next line");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR ExceptionGroup: render failed (2 sub-exceptions) t-1 0 " + String.join("\n", printed),
        "WARNING next line t-1 9 -");
  }
}
