package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Python's tracebacks and what is held for them, read from a stream's lines ({@link TracebacksTestSupport}). */
class TracebacksTest extends TracebacksTestSupport {

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

  /**
   * A start script's command that failed with an ERROR line, and the next command's crash: pip's
   * "No matching distribution found" and, 80 ms later, the traceback of {@code python3 -c "import
   * torch"} (seen by hand). The traceback was the ERROR line's exception.
   */
  @Test
  void anErrorLineDoesNotOwnATracebackThatBeganAfterAPause() {
    String frame = "  File \"<string>\", line 1, in <module>";
    printOwn(Level.ERROR, "ERROR: No matching distribution found for nosuchpkg");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, frame);
    print(Level.WARNING, "ModuleNotFoundError: No module named 'torch'");
    printOwn(Level.ERROR, "ERROR: model download failed");
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, frame);
    print(Level.WARNING, "TimeoutError: timed out");
    tracebacks.end();

    String traceback = "Traceback (most recent call last):\n" + frame + "\n";
    assertThat(recorded).containsExactly(
        "ERROR ERROR: No matching distribution found for nosuchpkg t-1 0 -",
        "ERROR ModuleNotFoundError: No module named 'torch' t-1 1 " + traceback + "ModuleNotFoundError: No module named 'torch'",
        "ERROR ERROR: model download failed t-1 4 " + traceback + "TimeoutError: timed out");
  }

  /**
   * Stable Diffusion web UI's error report ({@link ErrorReportLines}): its {@code ***} lines, then
   * the traceback Python formats before it prints it. Under load that took more than a burst
   * (once in the cli module's tests), and the traceback became an error of its own beside the
   * report's. Its reader says the traceback is more of the report: it is the report's, however
   * late it comes.
   */
  @Test
  void aTracebackItsWriterSaysIsMoreOfARecordIsItsExceptionAfterAPauseToo() {
    String frame = "  File \"/app/modules/call_queue.py\", line 57, in f";
    printOfRecord(Level.ERROR, "Error completing request", false, true);
    printOfRecord(Level.ERROR, "Arguments: ('task(5mzr8qyklbjb8ax)', 'a cat') {}", true, true);
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    printOfRecord(Level.ERROR, "Traceback (most recent call last):", true, false);
    print(Level.ERROR, frame);
    print(Level.ERROR, "RuntimeError: CUDA out of memory");
    tracebacks.end();

    assertThat(recorded).containsExactly("ERROR Error completing request\nArguments: ('task(5mzr8qyklbjb8ax)', 'a cat') {}"
        + " t-1 0 Traceback (most recent call last):\n" + frame + "\nRuntimeError: CUDA out of memory");
  }

  /**
   * {@code log.error(traceback.format_exc())} in Python's {@code [%(asctime)s] %(message)s}: the
   * traceback's first line after the time, which the parser takes off the message. Before, the
   * frames were a warning's message and the exception's line a warning of its own.
   */
  @Test
  void aTracebackAfterATimeThatNamesNoLevelIsAnErrorOfItsOwn() {
    String first = "[2026-12-07 23:06:46] Traceback (most recent call last):";
    String frame = "  File \"/srv/serve.py\", line 5, in <module>";
    tracebacks.line(new Tracebacks.Line(Instant.ofEpochSecond(now), Level.WARNING, "Traceback (most recent call last):", "t-1",
        Map.of("stream", "stderr"), nanos), first);
    now++;
    nanos++;
    print(Level.WARNING, frame);
    print(Level.WARNING, "RuntimeError: CUDA out of memory");
    tracebacks.end();

    assertThat(recorded).containsExactly("ERROR RuntimeError: CUDA out of memory t-1 0 Traceback (most recent call last):\n"
        + frame + "\nRuntimeError: CUDA out of memory");
  }

  /**
   * {@code log.error("Error: render failed")}, then {@code log.error(traceback.format_exc())}, in
   * {@code [%(asctime)s] %(message)s}, read in one read: the traceback's first line, after its
   * time, is no further line of the error's message, but its traceback; the next line, after its
   * time, no more of the exception's message.
   */
  @Test
  void aTracebackAfterATimeIsNoFurtherLineOfTheErrorBeforeIt() {
    String frame = "  File \"/srv/serve.py\", line 5, in <module>";
    // as the parser gives them: the message after the time, the line as printed
    tracebacks.line(new Tracebacks.Line(Instant.ofEpochSecond(now), Level.ERROR, "Error: render failed", "t-1",
        Map.of("stream", "stderr"), nanos, true), "[2026-12-07 23:22:07] Error: render failed");
    now++;
    nanos++;
    Tracebacks.Line first = new Tracebacks.Line(Instant.ofEpochSecond(now), Level.WARNING,
        "Traceback (most recent call last):", "t-1", Map.of("stream", "stderr"), nanos);
    String text = "[2026-12-07 23:22:07] Traceback (most recent call last):";
    assertThat(tracebacks.furtherLine(first, text)).isFalse();
    tracebacks.line(first, text);
    now++;
    nanos++;
    print(Level.WARNING, frame);
    print(Level.WARNING, "RuntimeError: CUDA out of memory");
    tracebacks.line(new Tracebacks.Line(Instant.ofEpochSecond(now), Level.WARNING, "next", "t-1",
        Map.of("stream", "stderr"), nanos), "[2026-12-07 23:22:08] next");
    tracebacks.end();

    assertThat(recorded).containsExactly("ERROR Error: render failed t-1 0 Traceback (most recent call last):\n"
        + frame + "\nRuntimeError: CUDA out of memory", "WARNING next t-1 4 -");
  }

  @Test
  void aSyntaxErrorsLocationWithoutItsSourceLineIsStillOneRecordWithItsExceptionLine() {
    // Python prints no source line where it cannot read the file again (a script removed as it ran).
    print(Level.WARNING, "  File \"/srv/worker.py\", line 2");
    print(Level.WARNING, "SyntaxError: '(' was never closed");
    tracebacks.end();

    assertThat(recorded).containsExactly("ERROR SyntaxError: '(' was never closed t-1 0 "
        + "  File \"/srv/worker.py\", line 2\nSyntaxError: '(' was never closed");
  }

  @Test
  void aPythonTracebackThatPausesBeforeItsExceptionLineIsStillOneRecord() {
    print(Level.WARNING, "Exception in thread Thread-1 (job):");
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"/usr/lib/python3.11/threading.py\", line 1045, in _bootstrap_inner");
    pause(QUIET * 2);   // reading threading.py's source, on a busy machine
    tracebacks.tick(nanos);
    assertThat(recorded).isEmpty();
    print(Level.WARNING, "    self.run()");
    print(Level.WARNING, "ValueError: bad frame in thread");
    pause(QUIET + 1);
    tracebacks.tick(nanos);

    assertThat(recorded).singleElement().asString().startsWith("ERROR ValueError: bad frame in thread t-1 0 ")
        .endsWith("    self.run()\nValueError: bad frame in thread");
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

  /**
   * A message with {@code traceback.format_exc()} in it begins the traceback on its own line, after
   * its words ({@code log.error(f"Task failed: {traceback.format_exc()}")}, SGLang's {@code
   * Scheduler hit an exception: ...}). Before, the words and the first frames were one record and
   * the exception's line another; a line that named no level made no error at all.
   */
  @Test
  void aTracebackThatBeginsAfterALinesWordsIsThatLinesException() {
    printOwn(Level.INFO, "retrying after: Traceback (most recent call last):");
    print(Level.WARNING, "  File \"worker.py\", line 410, in process_single_task");
    print(Level.WARNING, "ConnectionError: queue server gone");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "Task failed: Traceback (most recent call last):");
    print(Level.WARNING, "  File \"worker.py\", line 412, in process_single_task");
    print(Level.WARNING, "torch.OutOfMemoryError: CUDA out of memory");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "next line");
    print(Level.WARNING, "Traceback (most recent call last): is what Python prints");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "INFO retrying after: t-1 0 Traceback (most recent call last):\n"
            + "  File \"worker.py\", line 410, in process_single_task\nConnectionError: queue server gone",
        "ERROR Task failed: t-1 3 Traceback (most recent call last):\n"
            + "  File \"worker.py\", line 412, in process_single_task\ntorch.OutOfMemoryError: CUDA out of memory",
        "WARNING next line t-1 6 -",
        "WARNING Traceback (most recent call last): is what Python prints t-1 7 -");
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
  void aTracebackRightAfterAnotherWithNoWordsChainingThemIsAnErrorOfItsOwn() {
    // logging.exception's traceback, then the worker's uncaught crash, in one read
    print(Level.ERROR, "ERROR:root:render failed");
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"w.py\", line 8, in <module>");
    print(Level.WARNING, "KeyError: 'frames'");
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"w.py\", line 15, in <module>");
    print(Level.WARNING, "KeyError: 'missing'");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR ERROR:root:render failed t-1 0 Traceback (most recent call last):\n"
            + "  File \"w.py\", line 8, in <module>\nKeyError: 'frames'",
        "ERROR KeyError: 'missing' t-1 4 Traceback (most recent call last):\n"
            + "  File \"w.py\", line 15, in <module>\nKeyError: 'missing'");
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
    List<String> process = List.of(   // a multiprocessing.Process's uncaught exception
        "Process SpawnProcess-1:",
        "Traceback (most recent call last):",
        "  File \"worker.py\", line 2, in job",
        "ValueError: bad frame in child");
    thread.forEach(text -> print(Level.WARNING, text));
    ignored.forEach(text -> print(Level.WARNING, text));
    logCall.forEach(text -> print(Level.WARNING, text));
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    process.forEach(text -> print(Level.WARNING, text));
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "Exception in thread Thread-2 (upload):");   // no traceback after it
    print(Level.WARNING, "retrying");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR ValueError: bad frame t-1 0 " + String.join("\n", thread),
        "ERROR RuntimeError: cleanup failed t-1 4 " + String.join("\n", ignored),
        "ERROR TypeError: not enough arguments for format string t-1 8 " + String.join("\n", logCall),
        "ERROR ValueError: bad frame in child t-1 16 " + String.join("\n", process),
        "WARNING Exception in thread Thread-2 (upload): t-1 20 -",
        "WARNING retrying t-1 21 -");
  }

  /**
   * Python writes the line above a traceback of its own, then builds the traceback, reading each
   * frame's source, then writes it: under load the traceback came more than a burst after the
   * line, and the line was a record of its own. The line waits for it as long as the quiet of a
   * slow traceback; a line of another kind after it does not.
   */
  @Test
  void theLinePythonPrintsAboveATracebackOfItsOwnWaitsForItPastABurst() {
    List<String> traceback = List.of(
        "Traceback (most recent call last):",
        "  File \"/usr/lib/python3.11/logging/__init__.py\", line 377, in getMessage",
        "TypeError: not enough arguments for format string");
    print(Level.INFO, "--- Logging error ---");
    pause(Tracebacks.MESSAGE_BURST_NANOS * 4);   // 200 ms: within a slow traceback's quiet of heartlog run's
    traceback.forEach(text -> print(Level.WARNING, text));
    pause(QUIET * Tracebacks.SLOW_TRACEBACK_QUIET);
    tracebacks.tick(nanos);
    print(Level.WARNING, "Exception ignored in: <function Frame.__del__ at 0x7f824dc78860>");
    pause(Tracebacks.MESSAGE_BURST_NANOS * 4);
    print(Level.WARNING, "ValueError: bad frame");   // not what the line said was coming
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR TypeError: not enough arguments for format string t-1 0 --- Logging error ---\n"
            + String.join("\n", traceback),
        "WARNING Exception ignored in: <function Frame.__del__ at 0x7f824dc78860> t-1 4 -",
        "WARNING ValueError: bad frame t-1 5 -");
  }

  /**
   * A logger's INFO line and "--- Logging error ---" came in one read, the traceback in the next:
   * the end of the first read recorded the INFO line, and with it the line held after it, which
   * became a record of its own, the traceback an error without it (the real worker's test failed
   * so in CI, now and then). Only the INFO line is recorded at its read's end.
   */
  @Test
  void theLineAboveATracebackOfItsOwnOutlastsTheReadOfTheLineBeforeIt() {
    List<String> traceback = List.of(
        "Traceback (most recent call last):",
        "  File \"/usr/lib/python3.11/logging/__init__.py\", line 377, in getMessage",
        "TypeError: not enough arguments for format string");
    tracebacks.reading(true, nanos);
    printOwn(Level.INFO, "claimed task t-7");
    print(Level.INFO, "--- Logging error ---");
    tracebacks.reading(false, nanos);
    tracebacks.reading(true, nanos);
    traceback.forEach(text -> print(Level.WARNING, text));
    tracebacks.reading(false, nanos);
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "INFO claimed task t-7 t-1 0 -",
        "ERROR TypeError: not enough arguments for format string t-1 1 --- Logging error ---\n"
            + String.join("\n", traceback));
  }

  @Test
  void socketserversReportOfARequestWhoseHandlerRaisedIsOneErrorAndItsFirstRuleNoRecord() {
    String rule = "-".repeat(40);
    List<String> report = List.of(   // http.server's handler raised
        "Exception occurred during processing of request from ('127.0.0.1', 40954)",
        "Traceback (most recent call last):",
        "  File \"worker.py\", line 6, in do_GET",
        "ValueError: bad frame 13");
    print(Level.WARNING, rule);
    report.forEach(text -> print(Level.WARNING, text));
    print(Level.WARNING, rule);
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, rule);   // the worker's own
    print(Level.WARNING, "shot 13 done");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR ValueError: bad frame 13 t-1 1 " + String.join("\n", report) + "\n" + rule,
        "WARNING " + rule + " t-1 6 -",
        "WARNING shot 13 done t-1 7 -");
  }

  @Test
  void aLineInAFormatHeartlogReadsIsNoMoreOfTheExceptionsMessageBeforeIt() {
    List<String> traceback = List.of(   // Flask's development server: the request failed, then its line
        "Traceback (most recent call last):",
        "  File \"app.py\", line 12, in render",
        "ValueError: bad frame 13",
        "more of its message");
    tracebacks.reading(true, nanos);
    traceback.forEach(text -> print(Level.WARNING, text));
    printOwn(Level.INFO, "\"GET /render/13 HTTP/1.1\" 500 -");
    tracebacks.reading(false, nanos);
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR ValueError: bad frame 13 t-1 0 " + String.join("\n", traceback),
        "INFO \"GET /render/13 HTTP/1.1\" 500 - t-1 4 -");
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
  void richsTracebackInItsBoxIsOneErrorWithTheExceptionLineAsItsMessage() {
    List<String> chain = List.of(   // rich.traceback.install(), an uncaught chain of two
        "╭──── Traceback (most recent call last) ────╮",
        "│ /app/worker.py:3 in load                  │",
        "│ ❱ 3 │   return models[name]               │",
        "╰───────────────────────────────────────────╯",
        "KeyError: 'wan2.1'",
        "",
        "During handling of the above exception, another exception occurred:",
        "",
        "╭──── Traceback (most recent call last) ────╮",
        "│ /app/worker.py:5 in load                  │",
        "╰───────────────────────────────────────────╯",
        "RuntimeError: no model to load");
    chain.forEach(text -> print(Level.WARNING, text));
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.ERROR, "[08:36:58] ERROR    render failed");   // RichHandler(rich_tracebacks=True)
    print(Level.WARNING, "╭──── Traceback (most recent call last) ────╮");
    print(Level.WARNING, "╰───────────────────────────────────────────╯");
    print(Level.WARNING, "ZeroDivisionError: division by zero");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "│ a line of the worker's own");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR RuntimeError: no model to load t-1 0 " + String.join("\n", chain),
        "ERROR [08:36:58] ERROR    render failed t-1 12 ╭──── Traceback (most recent call last) ────╮\n"
            + "╰───────────────────────────────────────────╯\nZeroDivisionError: division by zero",
        "WARNING │ a line of the worker's own t-1 16 -");
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
   * A Java worker that crashed as it began a task: its exception's line read on stderr in no
   * task, the task's start on stdout, then the frames. The line was released as a warning of its
   * own, and the frames were another record (once in ten runs of such a worker).
   */
  @Test
  void anExceptionLineWithoutATaskStaysHeldWhenTheTaskChangesAndTakesItsFrames() {
    String header = "Exception in thread \"main\" java.lang.IllegalStateException: out of host memory";
    tracebacks.line(new Tracebacks.Line(Instant.ofEpochSecond(now), Level.WARNING, header, null,
        Map.of("stream", "stderr"), nanos), header);
    tracebacks.releaseHeld();
    print(Level.WARNING, "\tat W.decode(W.java:19)");
    tracebacks.end();

    assertThat(recorded).containsExactly("ERROR " + header + " null 0 " + header + "\n\tat W.decode(W.java:19)");
  }

  /**
   * Node.js's uncaught error, its place and source line read in no task before the task's start,
   * the error and its frames after it: the first lines were warnings of their own (2 of 10 runs
   * of a Node.js worker that crashed as it began a task).
   */
  @Test
  void nodesPlaceOfAnUncaughtErrorWithoutATaskStaysHeldWhenTheTaskChanges() {
    for (String text : List.of("/app/worker.js:12", "    throw new Error(\"oom\");", "    ^", "")) {
      tracebacks.line(new Tracebacks.Line(Instant.ofEpochSecond(now), Level.WARNING, text, null,
          Map.of("stream", "stderr"), nanos), text);
    }
    tracebacks.releaseHeld();
    print(Level.WARNING, "Error: oom");
    print(Level.WARNING, "    at render (/app/worker.js:12:11)");
    print(Level.WARNING, "");
    print(Level.WARNING, "Node.js v20.11.1");
    tracebacks.end();

    assertThat(recorded).singleElement().asString().startsWith("ERROR Error: oom null 0 /app/worker.js:12\n")
        .endsWith("Node.js v20.11.1");
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
    tracebacks.tick(nanos + QUIET);        // the process stopped printing mid-traceback
    assertThat(recorded).as("before its exception line, it waits as a slow traceback").hasSize(2);
    tracebacks.tick(nanos + QUIET * Tracebacks.SLOW_TRACEBACK_QUIET);

    assertThat(recorded).containsExactly(
        "ERROR Traceback (most recent call last): t-1 0 Traceback (most recent call last):",
        "WARNING plain line t-1 1 -",
        "ERROR Traceback (most recent call last): t-1 2 Traceback (most recent call last):\n"
            + "  File \"x.py\", line 1, in <module>");
  }

  @Test
  void aJvmThreadDumpIsARecordOfItsOwnAfterAnErrorLineInItsRead() {
    String dump = "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode, sharing):";
    tracebacks.reading(true, nanos);
    printOwn(Level.ERROR, "render failed: frame 3");
    assertThat(furtherLine(dump)).as("no line of the error's message").isFalse();
    print(Level.INFO, dump);
    print(Level.INFO, "");
    print(Level.INFO, "\"main\" #1 prio=5 os_prio=0 cpu=88.05ms elapsed=2.17s tid=0x7f19 nid=0x4146 waiting on condition");
    print(Level.INFO, "   java.lang.Thread.State: TIMED_WAITING (sleeping)");
    print(Level.INFO, "\tat java.lang.Thread.sleep(java.base@17.0.15/Native Method)");
    print(Level.INFO, "");
    print(Level.INFO, "JNI global refs: 4, weak refs: 0");
    print(Level.INFO, "rendering frame 4");   // the worker's own line again: the dump ended
    tracebacks.reading(false, nanos);
    tracebacks.end();

    assertThat(recorded).containsExactly("ERROR render failed: frame 3 t-1 0 -",
        "INFO " + dump + " t-1 2 " + dump + "\n\n\"main\" #1 prio=5 os_prio=0 cpu=88.05ms elapsed=2.17s tid=0x7f19 nid=0x4146"
            + " waiting on condition\n   java.lang.Thread.State: TIMED_WAITING (sleeping)\n"
            + "\tat java.lang.Thread.sleep(java.base@17.0.15/Native Method)\n\nJNI global refs: 4, weak refs: 0",
        "INFO rendering frame 4 t-1 9 -");
  }

  @Test
  void aJvmThreadDumpKeepsNoLineAfterTheFirstItLeftOut() {
    String dump = "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode, sharing):";
    String frame = "\tat render." + "x".repeat(99_980) + "(Render.java:1)";   // 100,000 characters
    print(Level.INFO, dump);
    for (int i = 0; i < 20; i++) {
      print(Level.INFO, frame);   // 2,000,000 and more read
    }
    print(Level.INFO, frame);     // past 2 MiB: left out
    print(Level.INFO, "Heap");    // would fit, but the dump's lines are read only up to the first left out
    tracebacks.end();

    assertThat(recorded).containsExactly("INFO " + dump + " t-1 0 " + dump
        + "\n… [heartlog run left out 20 lines of the dump here, to keep it to 30 KiB]"
        + "\n… [heartlog run left out the dump's last 2 lines, past the first 2 MiB it reads]");
  }

  @Test
  void aGoPanicsDumpKeepsNoLineAfterTheFirstItLeftOut() {
    String call = "main.render" + "x".repeat(99_980) + "(0x0?)";   // 100,000 characters
    print(Level.WARNING, "panic: frame 3");
    print(Level.WARNING, "");
    print(Level.WARNING, "goroutine 1 [running]:");
    for (int i = 0; i < 21; i++) {
      print(Level.WARNING, call);   // 2,000,000 and more read; the 21st left out
    }
    print(Level.WARNING, "exit status 2");   // would fit, but the dump's lines are read only up to the first left out
    tracebacks.end();

    assertThat(recorded).containsExactly("ERROR panic: frame 3 t-1 0 panic: frame 3\n\ngoroutine 1 [running]:"
        + "\n… [heartlog run left out 20 lines of the dump here, to keep it to 30 KiB]"
        + "\n… [heartlog run left out the dump's last 2 lines, past the first 2 MiB it reads]");
  }

  @Test
  void theLineOfTheTimeAboveAJvmThreadDumpIsItsDumpTime() {
    String dump = "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode, sharing):";
    String header = "\"main\" #1 prio=5 os_prio=0 cpu=88.05ms elapsed=2.17s tid=0x7f19 nid=0x4146 runnable";
    tracebacks.reading(true, nanos);
    print(Level.INFO, "2026-12-06 16:02:42");
    print(Level.INFO, dump);
    print(Level.INFO, header);
    print(Level.INFO, "2026-12-06 16:02:43");                   // a time of the worker's own
    printOwn(Level.ERROR, "render failed: frame 4");            // which owns the traceback after it
    print(Level.INFO, "Traceback (most recent call last):");
    print(Level.INFO, "  File \"w.py\", line 3, in <module>");
    print(Level.INFO, "RuntimeError: frame 4");
    tracebacks.reading(false, nanos);
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    tracebacks.reading(true, nanos);
    print(Level.INFO, "2026-12-06 16:02:43 rendering frame 5");   // more than a time: a line of its own
    print(Level.INFO, dump);
    printOwn(Level.INFO, "2026-12-06 16:02:44");                // a logger's
    print(Level.INFO, dump);
    print(Level.INFO, "2026-12-06 16:02:45");
    tracebacks.reading(false, nanos);
    tracebacks.reading(true, nanos);                              // in the next read: still its
    print(Level.INFO, dump);
    tracebacks.reading(false, nanos);
    print(Level.INFO, "2026-12-06 16:02:46");
    tracebacks.tick(nanos + QUIET);                               // a quiet period after it: a line of its own
    print(Level.INFO, dump);
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "INFO " + dump + " t-1 1 " + dump + "\n" + header,
        "INFO 2026-12-06 16:02:43 t-1 3 -",
        "ERROR render failed: frame 4 t-1 4 Traceback (most recent call last):\n  File \"w.py\", line 3, in <module>\n"
            + "RuntimeError: frame 4",
        "INFO 2026-12-06 16:02:43 rendering frame 5 t-1 8 -",
        "INFO " + dump + " t-1 9 " + dump,
        "INFO 2026-12-06 16:02:44 t-1 10 -",
        "INFO " + dump + " t-1 11 " + dump,
        "INFO " + dump + " t-1 13 " + dump,
        "INFO 2026-12-06 16:02:46 t-1 14 -",
        "INFO " + dump + " t-1 15 " + dump);
    assertThat(recordedMetadata).extracting(metadata -> metadata.get("dump_time"))
        .containsExactly("2026-12-06 16:02:42", null, null, null, null, null, null, "2026-12-06 16:02:45", null, null);
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

  /**
   * logger.exception's traceback of a TaskGroup's failure, then the worker's uncaught crash of
   * the next one, in one read: two errors, as for two tracebacks. Before, the crash's group was
   * taken in as more of the first one's box, and no record said the worker crashed.
   */
  @Test
  void aGroupRightAfterAnotherWithNoWordsChainingThemIsAnErrorOfItsOwn() {
    List<String> logged = group("render failed", "ValueError: bad frame 2");
    List<String> crashed = group("upload failed", "OSError: disk full");
    print(Level.ERROR, "ERROR:root:render failed");
    logged.forEach(text -> print(Level.WARNING, text));
    crashed.forEach(text -> print(Level.WARNING, text));
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR ERROR:root:render failed t-1 0 " + String.join("\n", logged),
        "ERROR ExceptionGroup: upload failed (1 sub-exception) t-1 8 " + String.join("\n", crashed));
  }

  /** Python's words between a traceback and a group, or a group and a traceback, chain them: one error, named by the last. */
  @Test
  void aChainOfTracebacksAndGroupsIsOneErrorNamedByItsLastException() {
    List<String> cause = List.of("Traceback (most recent call last):", "  File \"w.py\", line 3, in upload", "OSError: disk full");
    List<String> chain = List.of("", "The above exception was the direct cause of the following exception:", "");
    List<String> group = group("upload failed", "RuntimeError: frame 3 not written");
    List<String> handling = List.of("", "During handling of the above exception, another exception occurred:", "");
    List<String> last = List.of("Traceback (most recent call last):", "  File \"w.py\", line 9, in <module>",
        "RuntimeError: render gave up");
    List<String> printed = new java.util.ArrayList<>();
    printed.addAll(cause);
    printed.addAll(chain);
    printed.addAll(group);
    List<String> groupLast = List.copyOf(printed);
    printed.addAll(handling);
    printed.addAll(last);
    printed.forEach(text -> print(Level.WARNING, text));
    print(Level.WARNING, "");
    print(Level.WARNING, "next line");
    groupLast.forEach(text -> print(Level.WARNING, text));
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR RuntimeError: render gave up t-1 0 " + String.join("\n", printed),
        "WARNING next line t-1 " + (printed.size() + 1) + " -",
        "ERROR ExceptionGroup: upload failed (1 sub-exception) t-1 " + (printed.size() + 2) + " " + String.join("\n", groupLast));
  }

  /** The lines Python prints for a group of one exception, raised where {@code worker.py} says. */
  private static List<String> group(String message, String exception) {
    return List.of(
        "  + Exception Group Traceback (most recent call last):",
        "  |   File \"worker.py\", line 3, in <module>",
        "  |     main()",
        "  | ExceptionGroup: " + message + " (1 sub-exception)",
        "  +-+---------------- 1 ----------------",
        "    | " + exception,
        "    +------------------------------------");
  }

  /**
   * Python's header above a traceback it prints of its own (a child process's, a thread's) says
   * a traceback follows: it waits for it as long as for a slow traceback. Once in CI the child
   * process's traceback came after the quiet period, and its header was a warning of its own.
   */
  @Test
  void aPythonHeaderWaitsForItsTracebackAsLongAsASlowTraceback() {
    print(Level.WARNING, "Process Process-1:");
    tracebacks.tick(nanos + QUIET + 1);
    assertThat(recorded).as("still waiting for its traceback").isEmpty();

    pause(QUIET * 2);
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"w.py\", line 31, in encode");
    print(Level.WARNING, "ValueError: bad frame in child");
    tracebacks.end();

    assertThat(recorded).containsExactly("ERROR ValueError: bad frame in child t-1 0 Process Process-1:\n"
        + "Traceback (most recent call last):\n  File \"w.py\", line 31, in encode\nValueError: bad frame in child");
  }

  /** A line that only looks like such a header is recorded once the slow quiet period has passed. */
  @Test
  void aLineThatOnlyLooksLikeAPythonHeaderIsRecordedAfterTheSlowQuietPeriod() {
    print(Level.WARNING, "Process batch:");
    tracebacks.tick(nanos + QUIET * Tracebacks.SLOW_TRACEBACK_QUIET + 1);

    assertThat(recorded).containsExactly("WARNING Process batch: t-1 0 -");
  }
}
