package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The stack traces and crash reports of the JVM, Node.js, Go and Rust, and {@code
 * java.util.logging}'s records of two lines, read from a stream's lines ({@link
 * TracebacksTestSupport}).
 */
class StackTracesTest extends TracebacksTestSupport {

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
  void aNodeScriptThatEndsTooSoonIsOneErrorThoughItHasNoSourceLineNorCaret() {
    // What Node.js 20.20.2 printed for a function whose brace was not closed (node worker.js).
    List<String> printed = List.of(
        "/app/worker.js:3",
        "",
        "",
        "",
        "SyntaxError: Unexpected end of input",
        "    at wrapSafe (node:internal/modules/cjs/loader:1464:18)",
        "    at node:internal/main/run_main_module:28:49",
        "",
        "Node.js v20.20.2");
    printed.forEach(text -> print(Level.WARNING, text));
    print(Level.WARNING, "/data/frames/0001.png:3");   // a place and blank lines, but no error follows
    print(Level.WARNING, "");
    print(Level.WARNING, "");
    print(Level.WARNING, "encoding done");
    tracebacks.end();

    // Before, the place was a warning of its own, apart from the error.
    assertThat(recorded).containsExactly(
        "ERROR SyntaxError: Unexpected end of input t-1 0 " + String.join("\n", printed),
        "WARNING /data/frames/0001.png:3 t-1 9 -",
        "WARNING encoding done t-1 12 -");
  }

  /**
   * A package not installed, the Node.js worker's most common deploy mistake: the error's message
   * goes on below it ({@code Require stack:}, the files that required it), up to its first frame.
   * Node.js 20.20.2's lines for {@code require('some-missing-package')}.
   */
  @Test
  void aNodeErrorsMessageOfSeveralLinesStaysWithItsFrames() {
    List<String> printed = List.of(
        "node:internal/modules/cjs/loader:1210",
        "  throw err;",
        "  ^",
        "",
        "Error: Cannot find module 'some-missing-package'",
        "Require stack:",
        "- /tmp/sh/w.js",
        "    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)",
        "    at Object.<anonymous> (/tmp/sh/w.js:1:11)",
        "    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12) {",
        "  code: 'MODULE_NOT_FOUND',",
        "  requireStack: [ '/tmp/sh/w.js' ]",
        "}",
        "",
        "Node.js v20.20.2");
    printed.forEach(text -> print(Level.WARNING, text));
    tracebacks.end();

    // Before, "Require stack:" and the file were warnings of their own, and the frames a third.
    assertThat(recorded).containsExactly(
        "ERROR Error: Cannot find module 'some-missing-package' t-1 0 " + String.join("\n", printed));
  }

  /**
   * A line in the form of a Go program's fatal error, with nothing of Go's after it: the AWS CLI's
   * (aws-cli 1.45.11, without credentials). An ERROR still, without the line again as its stack.
   */
  @Test
  void aFatalErrorLineAloneIsAnErrorWithoutAStackTrace() {
    print(Level.WARNING, "fatal error: Unable to locate credentials");
    tracebacks.end();

    // Before, the line was its own exception too.
    assertThat(recorded).containsExactly("ERROR fatal error: Unable to locate credentials t-1 0 -");
  }

  /** V8's fatal error without the collector's runs before it, and a line of the worker's after its native stack. */
  @Test
  void aNodeFatalErrorIsOneCriticalRecordUpToTheLastLineOfItsReport() {
    print(Level.CRITICAL, "FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal.");
    print(Level.WARNING, " 1: 0xb7b3e0 node::Abort() [node]");
    print(Level.WARNING, "10: 0x140dd39  [node]");
    print(Level.WARNING, "worker restarted");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "CRITICAL FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal. t-1 0 FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal.\n"
            + " 1: 0xb7b3e0 node::Abort() [node]\n10: 0x140dd39  [node]",
        "WARNING worker restarted t-1 3 -");
  }

  @Test
  void aLineAfterANodeErrorThatCameLaterIsNoMoreOfItsMessage() {
    print(Level.WARNING, "/app/worker.js:1");
    print(Level.WARNING, "Promise.reject(new Error(\"upload failed\\nstatus 503\"));");
    print(Level.WARNING, "               ^");
    print(Level.WARNING, "");
    print(Level.WARNING, "Error: upload failed");
    print(Level.WARNING, "status 503");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);   // not the error's: it came later
    print(Level.WARNING, "retrying in 5 s");
    tracebacks.end();

    assertThat(recorded).hasSize(2);
    assertThat(recorded.get(0)).startsWith("ERROR Error: upload failed t-1 0 /app/worker.js:1").endsWith("Error: upload failed\nstatus 503");
    assertThat(recorded.get(1)).isEqualTo("WARNING retrying in 5 s t-1 6 -");
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

  /**
   * Node.js 20's uncaught errors of a kind a worker meets often, as it prints them: an {@code
   * 'error'} event no listener took (a refused connection), with the frames that emitted it below
   * their own line; a file system call's error, which has no frames and is printed in brackets
   * over its properties; an error thrown with its cause, whose frames in common with the cause
   * are one line; an async function's frame with no name. Before, each was cut at the line
   * heartlog did not know, the rest warnings of their own, and the bracketed one was named with
   * its brackets.
   */
  @Test
  void nodesUncaughtErrorsOfAnEventAFileSystemCallAndACauseAreOneErrorEachToNodesVersion() {
    List<String> event = List.of(
        "node:events:502",
        "      throw er; // Unhandled 'error' event",
        "      ^",
        "",
        "Error: connect ECONNREFUSED 127.0.0.1:5999",
        "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)",
        "Emitted 'error' event on Socket instance at:",
        "    at emitErrorNT (node:internal/streams/destroy:169:8)",
        "    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {",
        "  errno: -111,",
        "  code: 'ECONNREFUSED',",
        "  port: 5999",
        "}",
        "",
        "Node.js v20.20.2");
    List<String> fileSystem = List.of(
        "/app/worker.js:2",
        "fs.readFile(\"/models/sd.bin\", (err, data) => { if (err) throw err; });",
        "                                          ^",
        "",
        "[Error: ENOENT: no such file or directory, open '/models/sd.bin'] {",
        "  errno: -2,",
        "  code: 'ENOENT',",
        "  syscall: 'open',",
        "  path: '/models/sd.bin'",
        "}",
        "",
        "Node.js v20.20.2");
    List<String> caused = List.of(
        "/app/worker.js:4",
        "  try { decode(); } catch (e) { throw new Error(\"render failed\", { cause: e }); }",
        "                                ^",
        "",
        "Error: render failed",
        "    at render (/app/worker.js:4:39)",
        "    ... 5 lines matching cause stack trace ...",
        "    at node:internal/main/run_main_module:28:49 {",
        "  [cause]: RangeError: frame 12 out of range",
        "      at decode (/app/worker.js:2:27)",
        "      at async /app/worker.js:9:3",
        "}",
        "",
        "Node.js v20.20.2");
    List<String> aggregate = List.of(   // Promise.any's, its errors in brackets, a comma after the first's frames
        "node:internal/process/promises:391",
        "    triggerUncaughtException(err, true /* fromPromise */);",
        "    ^",
        "",
        "[AggregateError: All promises were rejected] {",
        "  [errors]: [",
        "    Error: mirror 1 timed out",
        "        at Object.<anonymous> (/app/worker.js:2:29)",
        "        at node:internal/main/run_main_module:28:49,",
        "    Error: mirror 2 timed out",
        "        at node:internal/main/run_main_module:28:49",
        "  ]",
        "}",
        "",
        "Node.js v20.20.2");
    List<String> array = List.of(   // no error: named as printed
        "/app/worker.js:1",
        "throw [\"frame 3\", \"frame 4\"];",
        "^",
        "[ 'frame 3', 'frame 4' ]",
        "",
        "Node.js v20.20.2");
    for (List<String> crash : List.of(event, fileSystem, caused, aggregate, array)) {
      crash.forEach(text -> print(Level.WARNING, text));
    }
    print(Level.WARNING, "next line");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR Error: connect ECONNREFUSED 127.0.0.1:5999 t-1 0 " + String.join("\n", event),
        "ERROR Error: ENOENT: no such file or directory, open '/models/sd.bin' t-1 15 " + String.join("\n", fileSystem),
        "ERROR Error: render failed t-1 27 " + String.join("\n", caused),
        "ERROR AggregateError: All promises were rejected t-1 41 " + String.join("\n", aggregate),
        "ERROR [ 'frame 3', 'frame 4' ] t-1 56 " + String.join("\n", array),
        "WARNING next line t-1 62 -");
  }

  /**
   * The error a Rust program's main returned, as anyhow 1.0 prints it: the error, a blank line,
   * its causes below "Caused by:" (numbered where there are several), and with RUST_BACKTRACE
   * its frames below "Stack backtrace:". Before, the error was one record and its causes a
   * warning of their own.
   */
  @Test
  void aRustErrorReportWithItsCausesAndBacktraceIsOneError() {
    List<String> causes = List.of(
        "Error: render failed for task t-7",
        "",
        "Caused by:",
        "    0: decode frame 3",
        "    1: No such file or directory (os error 2)");
    List<String> traced = List.of(
        "Error: model not loaded",
        "",
        "Caused by:",
        "    CUDA_ERROR_OUT_OF_MEMORY: out of memory",
        "",
        "Stack backtrace:",
        "   0: anyhow::error::<impl anyhow::Error>::msg",
        "             at /root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/anyhow-1.0.86/src/error.rs:83:36",
        "   1: worker::main",
        "             at ./src/main.rs:12:5");
    causes.forEach(text -> print(Level.WARNING, text));
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    traced.forEach(text -> print(Level.WARNING, text));
    print(Level.WARNING, "");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "    (retry 2 of 5)");   // indented, but later: no more of it
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "Error: no GPU");   // an error, and no report after it: its line alone
    print(Level.WARNING, "");
    print(Level.WARNING, "retrying in 5 s");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "Error: upload failed");   // the heading comes later: no report
    print(Level.WARNING, "");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "Caused by:");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "ValueError: bad frame");   // not Rust's "Error: "
    print(Level.WARNING, "");
    print(Level.WARNING, "Caused by:");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "Error: bad config");   // no blank line between: not anyhow's
    print(Level.WARNING, "Caused by:");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR Error: render failed for task t-7 t-1 0 " + String.join("\n", causes),
        "ERROR Error: model not loaded t-1 5 " + String.join("\n", traced),
        "WARNING     (retry 2 of 5) t-1 16 -",
        "WARNING Error: no GPU t-1 17 -",
        "WARNING retrying in 5 s t-1 19 -",
        "WARNING Error: upload failed t-1 20 -",
        "WARNING Caused by: t-1 22 -",
        "WARNING ValueError: bad frame t-1 23 -",
        "WARNING Caused by: t-1 25 -",
        "WARNING Error: bad config t-1 26 -",
        "WARNING Caused by: t-1 27 -");
  }

  /**
   * {@code console.error("render failed:", err)}: Node.js prints the words, a space and the error
   * on one line, its frames below. The line is the error's record, its exception the error from
   * its line on. Before, the line was a warning and the frames a record of their own.
   */
  @Test
  void anErrorPrintedAfterOtherWordsOnItsLineIsOneErrorWithThem() {
    read(List.of("render failed: Error: CUDA error: out of memory", "    at render (/app/worker.js:1:27)",
        "    at Object.<anonymous> (/app/worker.js:2:7)"));
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    read(List.of("upload t-7 TypeError [ERR_INVALID_ARG_TYPE]: The \"path\" argument must be of type string",
        "    at upload (/app/worker.js:9:3)"));
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    // Frames that come later are not its, though an ERROR line (--stderr-level ERROR) stays held.
    tracebacks.reading(true, nanos);
    print(Level.ERROR, "retrying after Error: timeout");
    tracebacks.reading(false, nanos);
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    read(List.of("    at retry (/app/worker.js:4:1)"));
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    read(List.of("no Error here", "    at check (/app/worker.js:6:1)"));   // "Error" alone names no error
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    read(List.of("job 7 lastError: none", "    at report (/app/worker.js:8:1)"));   // nor a word ending in it
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    tracebacks.reading(true, nanos);
    printOwn(Level.WARNING, "WARN render failed: Error: timeout");   // a logger's: its own, as before
    print(Level.WARNING, "    at render (/app/worker.js:1:27)");
    tracebacks.reading(false, nanos);
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR render failed: Error: CUDA error: out of memory t-1 0 Error: CUDA error: out of memory\n"
            + "    at render (/app/worker.js:1:27)\n    at Object.<anonymous> (/app/worker.js:2:7)",
        "ERROR upload t-7 TypeError [ERR_INVALID_ARG_TYPE]: The \"path\" argument must be of type string t-1 3 "
            + "TypeError [ERR_INVALID_ARG_TYPE]: The \"path\" argument must be of type string\n"
            + "    at upload (/app/worker.js:9:3)",
        "ERROR retrying after Error: timeout t-1 5 -",
        "WARNING at retry (/app/worker.js:4:1) t-1 6     at retry (/app/worker.js:4:1)",
        "WARNING no Error here t-1 7 -",
        "WARNING at check (/app/worker.js:6:1) t-1 8     at check (/app/worker.js:6:1)",
        "WARNING job 7 lastError: none t-1 9 -",
        "WARNING at report (/app/worker.js:8:1) t-1 10     at report (/app/worker.js:8:1)",
        "WARNING WARN render failed: Error: timeout t-1 11     at render (/app/worker.js:1:27)");
  }

  /** Node.js's console.trace("slow frame 3"): one record at the stream's level, the frames below it its stack. */
  @Test
  void nodesConsoleTraceIsOneRecordWithItsFrames() {
    read(List.of("Trace: slow frame 3", "    at render (/app/worker.js:1:29)", "    at main (/app/worker.js:4:1)"));
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    read(List.of("Trace: queue empty"));   // frames that come later are not its
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    read(List.of("    at poll (/app/worker.js:8:1)"));
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "WARNING Trace: slow frame 3 t-1 0 Trace: slow frame 3\n    at render (/app/worker.js:1:29)\n"
            + "    at main (/app/worker.js:4:1)",
        "WARNING Trace: queue empty t-1 3 -",
        "WARNING at poll (/app/worker.js:8:1) t-1 4     at poll (/app/worker.js:8:1)");
  }

  /** The lines of one read of the stream, at its level: the reading thread passes them on together. */
  private void read(List<String> lines) {
    tracebacks.reading(true, nanos);
    lines.forEach(text -> print(Level.WARNING, text));
    tracebacks.reading(false, nanos);
  }

  @Test
  void anAsyncFunctionsFrameWithNoNameIsAFrame() {
    print(Level.WARNING, "Error: ENOENT: no such file or directory, open '/models/sd.bin'");
    print(Level.WARNING, "    at async open (node:internal/fs/promises:639:25)");
    print(Level.WARNING, "    at async /app/worker.js:3:16");
    print(Level.WARNING, "    at async /app/worker.js:7:3 {");
    print(Level.WARNING, "  code: 'ENOENT'");
    print(Level.WARNING, "}");
    print(Level.WARNING, "    at async in 5 s");   // no place: no frame
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR Error: ENOENT: no such file or directory, open '/models/sd.bin' t-1 0 "
            + "Error: ENOENT: no such file or directory, open '/models/sd.bin'\n"
            + "    at async open (node:internal/fs/promises:639:25)\n    at async /app/worker.js:3:16\n"
            + "    at async /app/worker.js:7:3 {\n  code: 'ENOENT'\n}",
        "WARNING     at async in 5 s t-1 6 -");
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
        List.of("(node:4242) Warning: plain one", "(node:4242) Warning: traced",   // node --trace-warnings
            "    at Object.<anonymous> (/app/render.js:1:9)", "    at node:internal/main/run_main_module:28:49",
            "next line")).flatMap(List::stream).toList()) {
      node.line(new Tracebacks.Line(Instant.ofEpochSecond(arrived), Level.WARNING, text, null, Map.of(), arrived++), text);
    }
    node.end();

    assertThat(recorded).containsExactly(
        "WARNING (node:4242) [DEP0005] DeprecationWarning: Buffer() is deprecated -",
        "ERROR " + rejection.get(4) + " " + String.join("\n", rejection),
        "ERROR oops " + String.join("\n", string),
        "WARNING (node:4242) Warning: plain one -",
        "WARNING (node:4242) Warning: traced     at Object.<anonymous> (/app/render.js:1:9)\n"
            + "    at node:internal/main/run_main_module:28:49",
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
  void theJvmsWholeReportPrintedWithoutRegistersIsKeptToItsFirst8KibAndTheWorkersNextLineIsItsOwn() {
    List<String> report = new java.util.ArrayList<>(List.of("#",
        "# A fatal error has been detected by the Java Runtime Environment:", "#",
        "#  Internal Error (debug.cpp:362), pid=4242, tid=4243", "#  fatal error: OutOfMemory encountered: Java heap space",
        "#", "# Can not save log file, dump to screen..", "#", "", "---------------  S U M M A R Y ------------", ""));
    for (int i = 0; i < 200; i++) {
      report.add("0x00007f3a2c4f%04x JavaThread \"render-%d\" daemon [_thread_blocked, id=%d]".formatted(i, i, 4300 + i));
    }
    report.addAll(List.of("", "END.", "#", "# If you would like to submit a bug report, please visit:", "#"));
    report.forEach(text -> print(Level.INFO, text));
    print(Level.INFO, "worker restarting");
    tracebacks.end();

    assertThat(recorded).hasSize(2);
    assertThat(recorded.get(0)).startsWith("ERROR A fatal error has been detected by the Java Runtime Environment: Internal"
        + " Error (debug.cpp:362): fatal error: OutOfMemory encountered: Java heap space t-1 0 #\n")
        .endsWith("\n#\n# If you would like to submit a bug report, please visit:\n#\n… [heartlog run left out the report's "
            + "98 lines from its registers (or its first 8 KiB) to its end]");
    assertThat(recorded.get(0).length()).isLessThan(CrashReports.MAX_BYTES + 500);
    assertThat(recorded.get(1)).isEqualTo("INFO worker restarting t-1 216 -");
  }

  @Test
  void theJvmsWholeReportPrintedShortEndsWithItsEnd() {
    List<String> report = List.of("#", "# A fatal error has been detected by the Java Runtime Environment:", "#",
        "#  Internal Error (debug.cpp:362), pid=4242, tid=4243", "#", "# Can not save log file, dump to screen..", "#", "",
        "---------------  S U M M A R Y ------------", "", "Command Line: Render", "", "END.", "#");
    report.forEach(text -> print(Level.INFO, text));
    print(Level.INFO, "worker restarting");
    tracebacks.end();

    assertThat(recorded).containsExactly("ERROR A fatal error has been detected by the Java Runtime Environment: Internal"
        + " Error (debug.cpp:362) t-1 0 " + String.join("\n", report), "INFO worker restarting t-1 14 -");
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

  /**
   * PyTorch's C++ aborts over an uncaught {@code c10::Error} (a CUDA error in a destructor): its
   * lines were nine warnings of their own. One error, named by the exception's type and what(),
   * as a JVM's exception line names them; and so is the older shape, frames right after what().
   */
  @Test
  void aCppAbortIsOneErrorNamedByItsExceptionsTypeAndWhat() {
    List<String> abort = List.of(
        "terminate called after throwing an instance of 'c10::Error'",
        "  what():  CUDA error: device-side assert triggered",
        "CUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be"
            + " incorrect.",
        "For debugging consider passing CUDA_LAUNCH_BLOCKING=1",
        "Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.",
        "",
        "Exception raised from c10_cuda_check_implementation at /pytorch/c10/cuda/CUDAException.cpp:43 (most recent"
            + " call first):",
        "frame #0: c10::Error::Error(c10::SourceLocation, std::string) + 0x96 (0x7e3aee76c1b6 in /venv/lib/libc10.so)",
        "frame #1: <unknown function> + 0x20ba6 (0x7e3b07e98ba6 in /venv/lib/libc10_cuda.so)");
    List<String> older = List.of(
        "terminate called after throwing an instance of 'c10::Error'",
        "  what():  CUDA error: device-side assert triggered (insert_events at /tmp/c10/cuda/CUDACachingAllocator.cpp:569)",
        "frame #0: c10::Error::Error(c10::SourceLocation, std::string const&) + 0x6d (0x7f0e393a8e7d in /venv/lib/libc10.so)");
    abort.forEach(text -> print(Level.WARNING, text));
    print(Level.WARNING, "");
    print(Level.WARNING, "Aborted (core dumped)");
    older.forEach(text -> print(Level.WARNING, text));
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR c10::Error: CUDA error: device-side assert triggered t-1 0 " + String.join("\n", abort),
        "WARNING Aborted (core dumped) t-1 10 -",
        "ERROR c10::Error: CUDA error: device-side assert triggered (insert_events at"
            + " /tmp/c10/cuda/CUDACachingAllocator.cpp:569) t-1 11 " + String.join("\n", older));
  }

  /**
   * ggml's abort (llama.cpp, whisper.cpp) over a GPU backend's failed call: what failed, where,
   * the call, ggml_abort's line and glibc's frames, as llama.cpp b4704 printed them (its issue
   * #11841): one ERROR, named by its first line. Each line was a warning of its own.
   */
  @Test
  void ggmlsAbortOverACudaErrorIsOneErrorWithItsStack() {
    List<String> abort = List.of(
        "CUDA error: CUDA-capable device(s) is/are busy or unavailable",
        "  current device: 0, in function ggml_cuda_set_device at /app/llama.cpp/ggml/src/ggml-cuda/ggml-cuda.cu:86",
        "  cudaSetDevice(device)",
        "/app/llama.cpp/ggml/src/ggml-cuda/ggml-cuda.cu:73: CUDA error",
        "/app/llama.cpp/build/bin/libggml-base.so(+0x14698)[0x7f8311f85698]",
        "/app/llama.cpp/build/bin/libggml-base.so(ggml_abort+0x136)[0x7f8311f859e6]",
        "/lib/x86_64-linux-gnu/libc.so.6(__libc_start_main+0x80)[0x7f3c29e29e40]",
        "./llama-bench(+0x2a0e5)[0x55d1c0b2a0e5]");
    print(Level.WARNING, "ggml_cuda_init: found 1 CUDA devices:");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    abort.forEach(text -> print(Level.WARNING, text));
    print(Level.WARNING, "next line");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "WARNING ggml_cuda_init: found 1 CUDA devices: t-1 0 -",
        "ERROR CUDA error: CUDA-capable device(s) is/are busy or unavailable t-1 1 " + String.join("\n", abort),
        "WARNING next line t-1 9 -");
  }

  /**
   * A failed assertion of ggml's where gdb is installed: gdb's lines come a moment later (it
   * attaches to the process), to the one that says it let the process go. One ERROR, named by
   * the assertion.
   */
  @Test
  void ggmlsFailedAssertionIsOneErrorWithTheStackGdbPrints() {
    String assertion = "/root/llama.cpp/ggml/src/ggml-cuda/mmq.cu:145: GGML_ASSERT(src1->ne[2] == 1) failed";
    List<String> gdb = List.of(
        "[New LWP 24456]",
        "[Thread debugging using libthread_db enabled]",
        "Using host libthread_db library \"/lib/x86_64-linux-gnu/libthread_db.so.1\".",
        "0x00007748fc0ea42f in __GI___wait4 (pid=24460, stat_loc=0x0, options=0, usage=0x0) at ../sysdeps/unix/sysv/linux/wait4.c:30",
        "30\t../sysdeps/unix/sysv/linux/wait4.c: No such file or directory.",
        "#0  0x00007748fc0ea42f in __GI___wait4 (pid=24460, stat_loc=0x0, options=0, usage=0x0) at ../sysdeps/unix/sysv/linux/wait4.c:30",
        "#1  0x00007748fcb70b5b in ggml_print_backtrace () from /root/llama.cpp/build/bin/libggml-base.so.0",
        "#2  0x00007748fcb70cf2 in ggml_abort () from /root/llama.cpp/build/bin/libggml-base.so.0",
        "[Inferior 1 (process 24455) detached]");
    print(Level.WARNING, assertion);
    pause(QUIET * 3);   // gdb attaches: more than the quiet period, less than a slow traceback's
    tracebacks.tick(nanos);
    gdb.forEach(text -> print(Level.WARNING, text));
    print(Level.WARNING, "#3  a line after gdb's last");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR " + assertion + " t-1 0 " + assertion + "\n" + String.join("\n", gdb),
        "WARNING #3  a line after gdb's last t-1 10 -");
  }

  /**
   * ggml_abort's line with a message of its own is an error where a stack follows it, in a later
   * read (its child process prints the frames once gdb and lldb failed to start); a line of that
   * shape with none after it is a record of its own, as before.
   */
  @Test
  void aSourcePlaceAndMessageIsAnAbortOnlyWhereAStackFollowsIt() {
    String abort = "/app/src/llama-vocab.cpp:1923: unknown pre-tokenizer type: 'qwen35'";
    List<String> frames = List.of(
        "/app/build/bin/libggml-base.so(ggml_abort+0x136)[0x7f8311f859e6]",
        "./llama-server(+0x2a0e5) [0x55d1c0b2a0e5]");
    print(Level.WARNING, abort);
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    frames.forEach(text -> print(Level.WARNING, text));
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "src/render.c:12: frame 3 took 4 s");
    print(Level.WARNING, "next line");
    print(Level.WARNING, abort);
    pause(QUIET * 3);   // gdb attaches: more than the quiet period, less than a slow traceback's
    tracebacks.tick(nanos);
    print(Level.WARNING, "[New LWP 24456]");
    print(Level.WARNING, "[Inferior 1 (process 24455) detached]");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR " + abort + " t-1 0 " + abort + "\n" + String.join("\n", frames),
        "WARNING src/render.c:12: frame 3 took 4 s t-1 3 -",
        "WARNING next line t-1 4 -",
        "ERROR " + abort + " t-1 5 " + abort + "\n[New LWP 24456]\n[Inferior 1 (process 24455) detached]");
  }

  /** An abort over no exception, or one whose what() says nothing: named by its first line. */
  @Test
  void aCppAbortWithoutWhatIsNamedByItsFirstLine() {
    print(Level.WARNING, "terminate called without an active exception");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "terminate called after throwing an instance of 'std::bad_alloc'");
    print(Level.WARNING, "  what():  std::bad_alloc");
    pause(Tracebacks.MESSAGE_BURST_NANOS + 1);
    print(Level.WARNING, "terminate called after throwing an instance of 'render::Empty'");
    print(Level.WARNING, "  what():  ");
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "ERROR terminate called without an active exception t-1 0 terminate called without an active exception",
        "ERROR std::bad_alloc: std::bad_alloc t-1 1 terminate called after throwing an instance of 'std::bad_alloc'\n"
            + "  what():  std::bad_alloc",
        "ERROR terminate called after throwing an instance of 'render::Empty' t-1 3 "
            + "terminate called after throwing an instance of 'render::Empty'\n  what():  ");
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
  void aGoFunctionsNameBeginsAStackOnlyBelowARecordThatSaysWhereInGoItWasLogged() {
    tracebacks.reading(true, nanos);   // zap's development logger: a warning, and its stack in the same write
    tracebacks.line(new Tracebacks.Line(Instant.ofEpochSecond(now++), Level.WARNING, "low VRAM", "t-1",
        Map.of("stream", "stderr", "caller", "gz/main.go:29"), nanos++, true), "2026-12-03T10:40:35.507Z\tWARN\t...");
    print(Level.WARNING, "main.main");
    print(Level.WARNING, "\t/tmp/gz/main.go:29");
    print(Level.WARNING, "runtime.main");
    print(Level.WARNING, "\t/usr/lib/go-1.19/src/runtime/proc.go:250");
    tracebacks.reading(false, nanos);
    tracebacks.reading(true, nanos);
    printOwn(Level.WARNING, "WARNING:render:cache missing");   // no caller: a line of text after it is its own
    print(Level.WARNING, "config.yaml");
    tracebacks.reading(false, nanos);
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "WARNING low VRAM t-1 0 main.main\n\t/tmp/gz/main.go:29\nruntime.main\n\t/usr/lib/go-1.19/src/runtime/proc.go:250",
        "WARNING WARNING:render:cache missing t-1 5 -",
        "WARNING config.yaml t-1 6 -");
  }
}
