package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link ChildLineParser} makes of the lines workers print, each format its own test. */
class ChildLineParserTest {

  /** The lines of a test resource: what a real logger printed. */
  private static List<String> resourceLines(String name) throws java.io.IOException {
    try (var in = ChildLineParserTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  void aLineOfAnotherFormatTakesTheLevelItNamesNearItsStart() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    assertThat(List.of(
            "INFO:root:Loading model wan2.1",                                        // Python's basicConfig
            "2026-11-29 10:00:00,123 - worker - WARNING - VRAM nearly full",         // a common Python format
            "2026-11-29 10:00:00.123 | ERROR | CUDA out of memory",                  // loguru, a format of the worker's
            "[DEBUG] step 3",
            "INFO:     Uvicorn running on http://0.0.0.0:8000",
            "Traceback (most recent call last):",                                    // none: the stream's
            "RuntimeError: CUDA error: an illegal memory access",
            "loaded 3 ERRORS files",
            "x".repeat(LevelNames.LEVEL_NAME_REACH) + " ERROR beyond the reach",
            // A level set apart by " - " after a long logger name (Python's format, another datefmt)
            "[2026-11-29T10:00:00] - diffusers.pipelines.pipeline_utils - ERROR - failed to load",
            "2026-11-29 10:00:00,123 - x - " + "y".repeat(LevelNames.LEVEL_FIELD_REACH) + " - ERROR - beyond",
            "x".repeat(LevelNames.LEVEL_NAME_REACH) + " - ERROR rate - 0.1%",   // not a field of its own
            // glog and absl (JAX, XLA), TensorFlow: one letter
            "I1129 10:00:00.123456  4242 gpu_device.cc:2019] Created device /gpu:0",
            "W0000 00:00:1764410400.123456   12345 cuda_executor.cc:1001] could not open file",
            "E1129 10:00:00.123456  4242 cuda_driver.cc:152] failed call to cuInit",
            "F1129 10:00:00.123456  4242 gpu_device.cc:99] Check failed: ok",
            "2026-11-29 10:00:00.123456: I tensorflow/core/util/port.cc:113] oneDNN custom operations are on.",
            "2026-11-29 10:00:00.123456: E external/xla/xla/stream_executor/cuda/cuda_dnn.cc:9261] Unable to register",
            // PyTorch's C++ side (NCCL's process group): in brackets, the month unpadded, or no time
            "[W415 18:57:09.249883195 ProcessGroupNCCL.cpp:5138] Guessing device ID based on global rank.",
            "[E ProcessGroupNCCL.cpp:475] [Rank 0] Watchdog caught collective operation timeout",
            "[I1203 12:40:00.123456789 ProcessGroupNCCL.cpp:2291] [PG ID 0 PG GUID 0 Rank 0] ProcessGroupNCCL initialized",
            "I am not a glog line: 4242 x.cc:1] no"))
        .extracting(line -> seed.parse(line, Level.WARNING, "stderr").level())
        .containsExactly(Level.INFO, Level.WARNING, Level.ERROR, Level.DEBUG, Level.INFO,
            Level.WARNING, Level.WARNING, Level.WARNING, Level.WARNING,
            Level.ERROR, Level.WARNING, Level.WARNING,
            Level.INFO, Level.WARNING, Level.ERROR, Level.CRITICAL, Level.INFO, Level.ERROR,
            Level.WARNING, Level.ERROR, Level.INFO, Level.WARNING);
    assertThat(seed.parse("step 12 | ERROR | CUDA out of memory", Level.INFO, "stdout").message())
        .as("a line of another format is kept whole").isEqualTo("step 12 | ERROR | CUDA out of memory");
  }

  /**
   * A line of glog's, absl's, TensorFlow's or PyTorch's C++ side says where it was logged before
   * its message: that goes into {@code file} and {@code line}, and the message is what follows.
   * Before, the message kept the prefix, and so did the error's kind.
   */
  @Test
  void aGlogLinesPrefixIsWhereItWasLoggedAndItsMessageWhatFollows() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);
    ChildLineParser.Parsed glog = seed.parse("E1206 05:00:01.123456 12345 model_lifecycle.cc:626] failed to load 'sdxl' "
        + "version 1: Internal: unable to create stream: out of memory", Level.WARNING, "stderr");
    ChildLineParser.Parsed tensorflow = seed.parse("2026-12-06 05:00:01.234567: W tensorflow/compiler/tf2tensorrt/utils/"
        + "py_utils.cc:38] TF-TRT Warning: Could not find TensorRT", Level.INFO, "stdout");
    ChildLineParser.Parsed c10 = seed.parse("[W310 01:07:17.234745149 ProcessGroupNCCL.cpp:1250] Warning: WARNING: "
        + "process group has NOT been destroyed", Level.INFO, "stdout");
    ChildLineParser.Parsed untimed = seed.parse("[E ProcessGroupNCCL.cpp:475] [Rank 0] Watchdog caught collective operation "
        + "timeout", Level.INFO, "stdout");

    assertThat(glog.level()).isEqualTo(Level.ERROR);
    assertThat(glog.message()).isEqualTo("failed to load 'sdxl' version 1: Internal: unable to create stream: out of memory");
    assertThat(glog.metadata()).containsEntry("file", "model_lifecycle.cc").containsEntry("line", 626);
    assertThat(tensorflow.level()).isEqualTo(Level.WARNING);
    assertThat(tensorflow.message()).isEqualTo("TF-TRT Warning: Could not find TensorRT");
    assertThat(tensorflow.metadata()).containsEntry("file", "tensorflow/compiler/tf2tensorrt/utils/py_utils.cc")
        .containsEntry("line", 38);
    assertThat(c10.message()).isEqualTo("Warning: WARNING: process group has NOT been destroyed");
    assertThat(c10.metadata()).containsEntry("file", "ProcessGroupNCCL.cpp").containsEntry("line", 1250);
    assertThat(untimed.level()).isEqualTo(Level.ERROR);
    assertThat(untimed.message()).isEqualTo("[Rank 0] Watchdog caught collective operation timeout");
    // Triton's line above a table it prints (LOG_TABLE_INFO): nothing after the bracket, the table
    // on the lines below; before, stored whole at the stream's level
    ChildLineParser.Parsed table = seed.parse("I1207 12:00:00.123456 1 server.cc:631]", Level.WARNING, "stderr");
    assertThat(table.level()).isEqualTo(Level.INFO);
    assertThat(table.message()).isEmpty();
    assertThat(table.metadata()).containsEntry("file", "server.cc").containsEntry("line", 631);
  }

  @Test
  void logurusDefaultFormatGivesTheLevelTheMessageTheModuleTheFunctionAndTheLine() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    ChildLineParser.Parsed error = seed.parse("2026-12-03 08:32:26.360 | ERROR    | app.render:render:42 - CUDA out of memory",
        Level.WARNING, "stderr");
    assertThat(error.level()).isEqualTo(Level.ERROR);
    assertThat(error.message()).isEqualTo("CUDA out of memory");
    assertThat(error.metadata()).containsEntry("logger", "app.render").containsEntry("function", "render")
        .containsEntry("line", 42).containsEntry("stream", "stderr");
    assertThat(List.of("SUCCESS ", "TRACE   ", "CRITICAL", "NOTICE  "))
        .extracting(level -> seed.parse("2026-12-03 08:32:26.360 | " + level + " | __main__:<module>:5 - x", Level.WARNING,
            "stderr").level())
        .as("loguru's own levels; one of the worker's is not read").containsExactly(Level.INFO, Level.DEBUG, Level.CRITICAL,
            Level.WARNING);
  }

  @Test
  void aStructuredLoggersJsonLineGivesLevelMessageTaskLoggerAndExceptionAndKeepsItsOtherFields() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // structlog's JSONRenderer, with the task bound to the logger.
    ChildLineParser.Parsed structlog = seed.parse("{\"event\": \"frame rendered\", \"level\": \"warning\", "
        + "\"task_id\": \"t-42\", \"frame\": 7, \"timestamp\": \"2026-11-29T16:00:00Z\"}", Level.INFO, "stdout");
    assertThat(structlog.level()).isEqualTo(Level.WARNING);
    assertThat(structlog.message()).isEqualTo("frame rendered");
    assertThat(structlog.task()).isEqualTo("t-42");
    assertThat(structlog.metadata()).containsEntry("frame", 7).containsEntry("stream", "stdout")
        .doesNotContainKeys("event", "level", "task_id", "timestamp");
    assertThat(structlog.time()).as("the line's own time").isEqualTo(java.time.Instant.parse("2026-11-29T16:00:00Z"));

    // A job queue's job, bound to the logger as job_id (structlog.contextvars in an RQ worker).
    assertThat(seed.parse("{\"event\": \"job started\", \"level\": \"info\", \"job_id\": \"b7c1\", \"queue\": \"renders\"}",
        Level.INFO, "stdout")).satisfies(p -> assertThat(p.task()).isEqualTo("b7c1"))
        .satisfies(p -> assertThat(p.metadata()).containsEntry("queue", "renders").doesNotContainKey("job_id"));

    // python-json-logger with an exception, on stderr.
    ChildLineParser.Parsed pythonJson = seed.parse("{\"asctime\": \"2026-11-29 16:00:00,123\", \"levelname\": \"ERROR\", "
        + "\"name\": \"worker.render\", \"message\": \"render failed\", \"exc_info\": \"Traceback (most recent call last):\\n"
        + "ValueError: bad frame\", \"gpu\": {\"index\": 3, \"free_mb\": 512.5}}", Level.WARNING, "stderr");
    assertThat(pythonJson.level()).isEqualTo(Level.ERROR);
    assertThat(pythonJson.message()).isEqualTo("render failed");
    assertThat(pythonJson.metadata()).containsEntry("logger", "worker.render")
        .containsEntry("exception", "Traceback (most recent call last):\nValueError: bad frame")
        .containsEntry("gpu", Map.of("index", 3, "free_mb", 512.5));

    // pino's numeric levels and msg.
    assertThat(seed.parse("{\"level\":50,\"time\":1764432000123,\"msg\":\"upload failed\"}", Level.INFO, "stdout"))
        .satisfies(p -> assertThat(p.level()).isEqualTo(Level.ERROR))
        .satisfies(p -> assertThat(p.message()).isEqualTo("upload failed"))
        .satisfies(p -> assertThat(p.time()).isEqualTo(java.time.Instant.parse("2025-11-29T16:00:00.123Z")));
    // pino 10.4.0's logger.error(new Error(...), msg), as printed: the error's stack is the exception.
    ChildLineParser.Parsed pinoError = seed.parse("{\"level\":50,\"time\":1796017299806,\"pid\":1196,\"hostname\":\"vm\","
        + "\"err\":{\"type\":\"Error\",\"message\":\"CUDA out of memory\",\"stack\":\"Error: CUDA out of memory\\n"
        + "    at Object.<anonymous> (/tmp/pino/render.js:4:14)\\n    at Module._compile (node:internal/modules/cjs/loader:1521:14)\"},"
        + "\"msg\":\"generation failed\"}", Level.INFO, "stdout");
    assertThat(pinoError.message()).isEqualTo("generation failed");
    assertThat(pinoError.metadata()).containsEntry("exception", "Error: CUDA out of memory\n"
            + "    at Object.<anonymous> (/tmp/pino/render.js:4:14)\n    at Module._compile (node:internal/modules/cjs/loader:1521:14)")
        .containsEntry("err", Map.of("type", "Error", "message", "CUDA out of memory"));
    // zap's stack trace, its frames alone, under the error it is of (before, the exception was
    // the frames, and the store named the error by its top function); the error stays a field.
    ChildLineParser.Parsed zapError = seed.parse("{\"level\":\"error\",\"ts\":1796017299.806,\"msg\":\"upload failed\","
        + "\"error\":\"connection reset\",\"stacktrace\":\"main.upload\\n\\t/app/upload.go:42\"}", Level.INFO, "stderr");
    assertThat(zapError.metadata()).containsEntry("exception", "connection reset\nmain.upload\n\t/app/upload.go:42")
        .containsEntry("error", "connection reset");
    // A Go logger's error that is only text (log/slog's "err", zap's, zerolog's and logrus's
    // "error"), in JSON or logfmt: the exception, so that the store names the error by it, not by
    // the message every such failure shares; before, it was a field alone.
    assertThat(List.of(
            "{\"time\":\"2026-12-06T02:30:00Z\",\"level\":\"ERROR\",\"msg\":\"render failed\",\"err\":\"cuda: out of memory\"}",
            "{\"level\":\"error\",\"error\":\"cuda: out of memory\",\"time\":\"2026-12-06T02:30:00Z\",\"message\":\"render failed\"}",
            "time=2026-12-06T02:30:00Z level=ERROR msg=\"render failed\" err=\"cuda: out of memory\""))
        .allSatisfy(line -> assertThat(seed.parse(line, Level.INFO, "stderr").metadata()).as(line)
            .containsEntry("exception", "cuda: out of memory"));
    assertThat(seed.parse("{\"level\":\"error\",\"msg\":\"render failed\",\"error\":\"\",\"err\":false}", Level.INFO, "stderr")
        .metadata()).as("an error field that says nothing").doesNotContainKey("exception");
    assertThat(seed.parse("{\"level\":\"error\",\"msg\":\"render failed\",\"error\":\"bad frame\",\"stacktrace\":"
        + "\"java.io.IOException: bad frame\\n\\tat app.Render.run(Render.java:9)\"}", Level.INFO, "stderr").metadata())
        .as("a stack that says the error already").containsEntry("exception", "java.io.IOException: bad frame\n\tat app.Render.run(Render.java:9)");
    assertThat(seed.parse("{\"level\":\"error\",\"msg\":\"render failed\",\"error\":\"bad frame\",\"exception\":"
        + "\"Traceback (most recent call last):\\nKeyError: 'frame'\"}", Level.INFO, "stderr").metadata())
        .as("a stack of another field than zap's, as it is").containsEntry("exception", "Traceback (most recent call last):\nKeyError: 'frame'");
    // python-json-logger's asctime is local time without an offset: kept as a field, not the record's time.
    assertThat(pythonJson.time()).isNull();
    assertThat(pythonJson.metadata()).containsEntry("asctime", "2026-11-29 16:00:00,123");
    // Every vocabulary's names, on stderr, whose own level is WARNING: syslog's crit was a
    // warning there, and winston's verbose and silly, below its debug, were INFO on stdout.
    assertThat(List.of("crit", "emerg", "alert", "err", "notice", "verbose", "silly", "Information", "informational"))
        .extracting(name -> seed.parse("{\"level\": \"" + name + "\", \"msg\": \"m\"}", Level.WARNING, "stderr").level())
        .containsExactly(Level.CRITICAL, Level.CRITICAL, Level.CRITICAL, Level.ERROR, Level.INFO, Level.DEBUG, Level.DEBUG,
            Level.INFO, Level.INFO);
    // .NET's JSON console formatter (Microsoft.Extensions.Logging), its names capitalised.
    ChildLineParser.Parsed dotnet = seed.parse("{\"Timestamp\":\"2026-12-03T06:00:00.123Z\",\"EventId\":0,"
        + "\"LogLevel\":\"Information\",\"Category\":\"Render.Worker\",\"Message\":\"frame 7 rendered\","
        + "\"State\":{\"Frame\":7}}", Level.WARNING, "stderr");
    assertThat(dotnet.level()).isEqualTo(Level.INFO);
    assertThat(dotnet.message()).isEqualTo("frame 7 rendered");
    assertThat(dotnet.time()).isEqualTo(Instant.parse("2026-12-03T06:00:00.123Z"));
    assertThat(dotnet.metadata()).containsEntry("logger", "Render.Worker").containsEntry("EventId", 0)
        .containsKey("State").doesNotContainKeys("LogLevel", "Message", "Timestamp", "Category");
    // An object without a message field keeps its text; a level no logger uses keeps the stream's.
    String noMessage = "{\"level\": \"chatty\", \"step\": 3}";
    assertThat(seed.parse(noMessage, Level.INFO, "stdout"))
        .satisfies(p -> assertThat(p.message()).isEqualTo(noMessage))
        .satisfies(p -> assertThat(p.level()).isEqualTo(Level.INFO));
    // Not one JSON object: kept whole, as any other line.
    assertThat(List.of("{not json}", "{\"a\": 1} trailing", "[1, 2]", "{\"a\": 1}{\"b\": 2}"))
        .allSatisfy(line -> assertThat(seed.parse(line, Level.INFO, "stdout").message()).isEqualTo(line));
  }

  /**
   * The Elastic Common Schema's loggers: ecs-logging for Python nests the error (its frames alone,
   * traceback.format_tb's, its type and message apart) and the logger; the Java one writes its
   * fields flat, the stack trace whole; the Node.js one nests the error, its stack whole. Before,
   * none of them had an exception, and the Python one's logger was a field of "log".
   */
  @Test
  void theElasticCommonSchemasErrorIsTheRecordsExceptionAPythonOneWithItsExceptionLine() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);
    ChildLineParser.Parsed python = seed.parse("{\"@timestamp\":\"2026-12-06T00:56:01.123Z\",\"log.level\":\"error\","
        + "\"message\":\"upload failed\",\"ecs\":{\"version\":\"1.6.0\"},\"error\":{\"message\":\"disk full\","
        + "\"stack_trace\":\"  File \\\"/app/worker.py\\\", line 9, in upload\\n    f.write(frame)\\n\",\"type\":\"OSError\"},"
        + "\"log\":{\"logger\":\"worker\",\"origin\":{\"file\":{\"line\":12,\"name\":\"worker.py\"},\"function\":\"run\"},"
        + "\"original\":\"upload failed\"},\"process\":{\"pid\":4242}}", Level.WARNING, "stderr");
    assertThat(python.level()).isEqualTo(Level.ERROR);
    assertThat(python.message()).isEqualTo("upload failed");
    assertThat(python.metadata()).containsEntry("logger", "worker")
        .containsEntry("exception", "Traceback (most recent call last):\n  File \"/app/worker.py\", line 9, in upload\n"
            + "    f.write(frame)\nOSError: disk full")
        .containsEntry("error", Map.of("type", "OSError", "message", "disk full"));
    ChildLineParser.Parsed java = seed.parse("{\"@timestamp\":\"2026-12-06T00:56:03.000Z\",\"log.level\":\"ERROR\","
        + "\"message\":\"save failed\",\"ecs.version\":\"1.2.0\",\"log.logger\":\"app.Saver\","
        + "\"error.type\":\"java.io.IOException\",\"error.message\":\"disk full\","
        + "\"error.stack_trace\":\"java.io.IOException: disk full\\n\\tat app.Saver.save(Saver.java:9)\"}", Level.INFO, "stdout");
    assertThat(java.metadata()).containsEntry("logger", "app.Saver")
        .containsEntry("exception", "java.io.IOException: disk full\n\tat app.Saver.save(Saver.java:9)");
    ChildLineParser.Parsed datadog = seed.parse("{\"timestamp\":\"2026-12-06T00:56:03.500Z\",\"status\":\"error\","
        + "\"level\":\"error\",\"message\":\"save failed\",\"error.kind\":\"OSError\",\"error.message\":\"disk full\","
        + "\"error.stack\":\"Traceback (most recent call last):\\n  File \\\"/app/w.py\\\", line 9, in save\\nOSError: disk full\","
        + "\"dd.trace_id\":\"0\"}", Level.INFO, "stdout");
    assertThat(datadog.metadata()).as("Datadog's attribute, written flat")
        .containsEntry("exception", "Traceback (most recent call last):\n  File \"/app/w.py\", line 9, in save\nOSError: disk full")
        .doesNotContainKey("error.stack");
    ChildLineParser.Parsed node = seed.parse("{\"@timestamp\":\"2026-12-06T00:56:04.000Z\",\"log.level\":\"error\","
        + "\"message\":\"render failed\",\"error\":{\"type\":\"Error\",\"message\":\"CUDA device lost\","
        + "\"stack_trace\":\"Error: CUDA device lost\\n    at render (/app/w.js:3:9)\"}}", Level.INFO, "stdout");
    assertThat(node.metadata()).as("a stack that is no Python frames' as it is")
        .containsEntry("exception", "Error: CUDA device lost\n    at render (/app/w.js:3:9)");
    ChildLineParser.Parsed bare = seed.parse("{\"log.level\":\"error\",\"message\":\"retry failed\",\"error\":{"
        + "\"stack_trace\":\"  File \\\"/app/worker.py\\\", line 9, in upload\\n\",\"type\":\"TimeoutError\"}}", Level.INFO, "stdout");
    assertThat(bare.metadata()).as("no message: the type alone")
        .containsEntry("exception", "Traceback (most recent call last):\n  File \"/app/worker.py\", line 9, in upload\nTimeoutError");
  }

  /**
   * structlog's {@code dict_tracebacks} writes the exception as a list of the chain's exceptions,
   * as Debian's structlog 22.3.0 printed it for a RuntimeError raised from a FileNotFoundError
   * (the program's path /tmp/app/render.py), and for a TimeoutError raised while an OSError was
   * handled, without locals; zerolog with pkg/errors' stack, its frames.
   */
  @Test
  void anExceptionWrittenAsAListIsWrittenOutAsItsLanguagePrintsIt() throws Exception {
    ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);
    List<String> lines = resourceLines("/loggers/structlog-22.3.0-dict-tracebacks.jsonl");
    ChildLineParser.Parsed structlog = parser.parse(lines.get(1), Level.INFO, "stdout");

    assertThat(structlog.level()).isEqualTo(Level.ERROR);
    assertThat(structlog.message()).isEqualTo("render failed");
    assertThat(structlog.task()).isEqualTo("t-5");
    String traceback = (String) structlog.metadata().get("exception");
    assertThat(traceback).startsWith("""
        Traceback (most recent call last):
          File "/tmp/app/render.py", line 9, in render
            frame = 5
          File "/tmp/app/render.py", line 6, in load
            path = /models/sd.bin
        FileNotFoundError: [Errno 2] No such file or directory

        The above exception was the direct cause of the following exception:

        Traceback (most recent call last):
          File "/tmp/app/render.py", line 14, in <module>
            __name__ = __main__
        """).endsWith("""
          File "/tmp/app/render.py", line 11, in render
            frame = 5
        RuntimeError: model not loaded for frame 5""");
    ChildLineParser.Parsed context = parser.parse(lines.get(2), Level.INFO, "stdout");
    assertThat(context.metadata()).as("raised while another was handled, no locals captured").containsEntry("exception", """
        Traceback (most recent call last):
          File "/tmp/app/context.py", line 8, in upload
        FileNotFoundError: [Errno 2] No such file or directory: '/out/frame-6.png'

        During handling of the above exception, another exception occurred:

        Traceback (most recent call last):
          File "/tmp/app/context.py", line 12, in <module>
          File "/tmp/app/context.py", line 10, in upload
        TimeoutError: upload timed out""");

    ChildLineParser.Parsed noted = parser.parse("{\"event\":\"render failed\",\"level\":\"error\",\"exception\":[{\"exc_type\":"
        + "\"ValueError\",\"exc_value\":\"bad frame\",\"exc_notes\":[\"frame 12 of shot 3\"],\"syntax_error\":null,"
        + "\"is_cause\":false,\"frames\":[{\"filename\":\"/app/w.py\",\"lineno\":9,\"name\":\"render\"}],"
        + "\"is_group\":false,\"exceptions\":[]}]}", Level.INFO, "stdout");
    assertThat(noted.metadata()).as("structlog 25's notes, below the exception as Python prints them").containsEntry("exception",
        "Traceback (most recent call last):\n  File \"/app/w.py\", line 9, in render\nValueError: bad frame\nframe 12 of shot 3");

    ChildLineParser.Parsed zerolog = parser.parse("{\"level\":\"error\",\"stack\":[{\"func\":\"render\",\"line\":\"20\","
        + "\"source\":\"main.go\"},{\"func\":\"main\",\"line\":\"30\",\"source\":\"main.go\"}],"
        + "\"error\":\"CUDA out of memory\",\"time\":\"2026-12-06T02:30:01Z\",\"message\":\"render failed\"}", Level.INFO, "stdout");
    assertThat(zerolog.metadata()).containsEntry("exception", "CUDA out of memory\n    at render (main.go:20)\n    at main (main.go:30)")
        .containsEntry("error", "CUDA out of memory");
    ChildLineParser.Parsed noError = parser.parse("{\"level\":\"error\",\"stack\":[{\"func\":\"render\",\"line\":\"20\","
        + "\"source\":\"main.go\"}],\"message\":\"render failed\"}", Level.INFO, "stdout");
    assertThat(noError.metadata()).as("no error's text: the message").containsEntry("exception", "render failed\n    at render (main.go:20)");
    ChildLineParser.Parsed formatted = parser.parse("{\"levelname\":\"ERROR\",\"message\":\"render failed\",\"exc_info\":["
        + "\"Traceback (most recent call last):\\n\",\"  File \\\"/app/w.py\\\", line 9, in render\\n\",\"ValueError: bad frame\\n\"]}",
        Level.INFO, "stdout");
    assertThat(formatted.metadata()).as("traceback.format_exception's lines").containsEntry("exception",
        "Traceback (most recent call last):\n  File \"/app/w.py\", line 9, in render\nValueError: bad frame");
  }

  /**
   * A message that carries its stack trace below it, as google-cloud-logging's
   * StructuredLogHandler writes a record logged with its exception (Python's {@code
   * Formatter.format}: the traceback appended to the message), or a Java stack trace so appended.
   * Before, the message held the trace, and the store named the error by its first line.
   */
  @Test
  void aStackTraceCarriedBelowAJsonMessageIsTheRecordsException() {
    ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);
    ChildLineParser.Parsed python = parser.parse("{\"message\": \"render failed\\nTraceback (most recent call last):\\n"
        + "  File \\\"/app/w.py\\\", line 9, in render\\n    raise ValueError(\\\"bad frame\\\")\\nValueError: bad frame\", "
        + "\"severity\": \"ERROR\", \"logging.googleapis.com/sourceLocation\": {\"line\": 12, \"file\": \"/app/w.py\"}}",
        Level.INFO, "stdout");
    ChildLineParser.Parsed java = parser.parse("{\"severity\":\"ERROR\",\"message\":\"render failed\\n"
        + "java.lang.IllegalStateException: CUDA out of memory\\n\\tat app.Render.run(Render.java:9)\"}", Level.INFO, "stdout");
    ChildLineParser.Parsed traceAlone = parser.parse("{\"severity\":\"ERROR\",\"message\":\"java.lang.IllegalStateException: "
        + "CUDA out of memory\\n\\tat app.Render.run(Render.java:9)\"}", Level.INFO, "stdout");

    assertThat(python.level()).isEqualTo(Level.ERROR);
    assertThat(python.message()).isEqualTo("render failed");
    assertThat(python.metadata()).containsEntry("exception", "Traceback (most recent call last):\n"
        + "  File \"/app/w.py\", line 9, in render\n    raise ValueError(\"bad frame\")\nValueError: bad frame");
    assertThat(java.message()).isEqualTo("render failed");
    assertThat(java.metadata()).containsEntry("exception", "java.lang.IllegalStateException: CUDA out of memory\n"
        + "\tat app.Render.run(Render.java:9)");
    assertThat(traceAlone.message()).as("no message above the trace: kept as it is")
        .isEqualTo("java.lang.IllegalStateException: CUDA out of memory\n\tat app.Render.run(Render.java:9)");
    assertThat(traceAlone.metadata()).doesNotContainKey("exception");
    ChildLineParser.Parsed pythonAlone = parser.parse("{\"level\": \"error\", \"message\": \"Traceback (most recent call last):\\n"
        + "  File \\\"/app/w.py\\\", line 9, in render\\nValueError: bad frame\\n\"}", Level.INFO, "stdout");
    assertThat(pythonAlone.message()).as("log.error(traceback.format_exc()): named by its exception's line")
        .isEqualTo("ValueError: bad frame");
    assertThat(pythonAlone.metadata()).containsEntry("exception",
        "Traceback (most recent call last):\n  File \"/app/w.py\", line 9, in render\nValueError: bad frame");
    ChildLineParser.Parsed withError = parser.parse("{\"severity\":\"ERROR\",\"error\":\"bad frame\",\"message\":\"render failed"
        + "\\nTraceback (most recent call last):\\nValueError: bad frame\"}", Level.INFO, "stdout");
    assertThat(withError.metadata()).as("the carried traceback, not the error's text alone")
        .containsEntry("exception", "Traceback (most recent call last):\nValueError: bad frame");
  }

  /**
   * Log4j 2.25.2's JsonLayout ({@code compact="true" eventEol="true" properties="true"}), as it
   * printed a worker's info line with a task in its ThreadContext and an exception with a cause
   * and a suppressed one; the last line with {@code stacktraceAsString="true"}. Before, the
   * exception was a field ({@code thrown}) and the error named by its message, the logger, the
   * time and the task were fields too.
   */
  @Test
  void log4jsJsonLayoutGivesTheTimeLoggerTaskAndTheExceptionAsJavaPrintsIt() throws Exception {
    ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);
    List<String> lines = resourceLines("/loggers/log4j2-2.25.2-jsonlayout.jsonl");
    ChildLineParser.Parsed info = parser.parse(lines.get(0), Level.WARNING, "stdout");
    ChildLineParser.Parsed error = parser.parse(lines.get(1), Level.WARNING, "stdout");
    ChildLineParser.Parsed whole = parser.parse(lines.get(2), Level.WARNING, "stdout");

    assertThat(info.level()).isEqualTo(Level.INFO);
    assertThat(info.message()).isEqualTo("rendering frame 5");
    assertThat(info.task()).isEqualTo("t-9");
    assertThat(info.time()).as("its instant").isEqualTo(java.time.Instant.ofEpochSecond(1796526722, 743793256));
    assertThat(info.metadata()).containsEntry("logger", "app.Render").containsEntry("thread", "main")
        .doesNotContainKeys("loggerName", "instant", "loggerFqcn", "endOfBatch", "threadPriority", "contextMap");
    assertThat(error.level()).isEqualTo(Level.ERROR);
    String trace = (String) error.metadata().get("exception");
    assertThat(trace).startsWith("java.lang.IllegalStateException: model not loaded\n\tat Render.main(Render.java:10)\n"
            + "\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)\n")
        .contains("\n\tSuppressed: java.io.IOException: close failed\n\t\tat Render.main(Render.java:11)\n")
        .endsWith("\nCaused by: java.io.FileNotFoundException: /models/sd.bin\n\tat Render.load(Render.java:4)\n"
            + "\tat Render.main(Render.java:9)\n\t... 7 more");
    assertThat(error.metadata()).doesNotContainKey("thrown");
    assertThat((String) whole.metadata().get("exception")).as("Log4j's own text, as it is")
        .startsWith("java.lang.IllegalStateException: model not loaded\n\tat Render.main(Render.java:10) [Render.java:?]\n")
        .endsWith("\tat Render.main(Render.java:9) ~[?:?]\n\t... 7 more");
  }

  /**
   * Serilog's compact JSON (CLEF), what a .NET worker writes with Serilog.Formatting.Compact's
   * {@code CompactJsonFormatter}: lines written in the shape its source writes them (no .NET
   * here to run it). Before, each line was a record at the stream's level whose message was the
   * whole line, its time, template and exception fields.
   */
  @Test
  void serilogsCompactJsonGivesTheLevelTheRenderedMessageTheTimeTheTaskAndTheException() {
    ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);
    ChildLineParser.Parsed info = parser.parse("{\"@t\":\"2026-12-06T05:00:00.1234567Z\","
        + "\"@mt\":\"Rendered {Frames} frames of {TaskId} in {Elapsed:0.0} s\",\"@r\":[\"12.3\"],"
        + "\"Frames\":81,\"TaskId\":\"t-42\",\"Elapsed\":12.345,\"SourceContext\":\"Render.Worker\","
        + "\"@@Origin\":\"queue\"}", Level.WARNING, "stderr");
    ChildLineParser.Parsed error = parser.parse("{\"@t\":\"2026-12-06T05:00:01.5000000Z\","
        + "\"@mt\":\"Render of {TaskId} failed\",\"@l\":\"Error\","
        + "\"@x\":\"System.InvalidOperationException: model not loaded\\r\\n   at Worker.Render(Int32 frame) in "
        + "/src/Worker.cs:line 12\",\"@tr\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"TaskId\":\"t-43\"}",
        Level.INFO, "stdout");
    ChildLineParser.Parsed rendered = parser.parse("{\"@t\":\"2026-12-06T05:00:02.0000000Z\","
        + "\"@m\":\"Low VRAM: 512 MiB free\",\"@i\":\"a3f1c2d4\",\"@l\":\"Warning\",\"FreeMb\":512}",
        Level.INFO, "stdout");

    assertThat(info.level()).as("Information, which CLEF leaves out").isEqualTo(Level.INFO);
    assertThat(info.message()).as("a number as it is, a text in quotes, a format as Serilog rendered it")
        .isEqualTo("Rendered 81 frames of \"t-42\" in 12.3 s");
    assertThat(info.task()).isEqualTo("t-42");
    assertThat(info.time()).isEqualTo(Instant.parse("2026-12-06T05:00:00.1234567Z"));
    assertThat(info.metadata()).containsEntry("logger", "Render.Worker").containsEntry("Frames", 81)
        .containsEntry("message_template", "Rendered {Frames} frames of {TaskId} in {Elapsed:0.0} s")
        .containsEntry("@Origin", "queue").doesNotContainKeys("@t", "@mt", "@r", "SourceContext", "TaskId", "@@Origin");
    assertThat(error.level()).isEqualTo(Level.ERROR);
    assertThat(error.message()).isEqualTo("Render of \"t-43\" failed");
    assertThat(error.metadata()).containsEntry("exception",
            "System.InvalidOperationException: model not loaded\r\n   at Worker.Render(Int32 frame) in /src/Worker.cs:line 12")
        .containsEntry("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736").doesNotContainKeys("@x", "@l", "@tr");
    assertThat(rendered.level()).isEqualTo(Level.WARNING);
    assertThat(rendered.message()).as("RenderedCompactJsonFormatter's @m").isEqualTo("Low VRAM: 512 MiB free");
    assertThat(rendered.metadata()).containsEntry("event_id", "a3f1c2d4").containsEntry("FreeMb", 512);
    assertThat(parser.parse("{\"@t\":\"2026-12-06T05:00:00Z\",\"step\":3}", Level.INFO, "stdout").message())
        .as("no template, no message: not CLEF").isEqualTo("{\"@t\":\"2026-12-06T05:00:00Z\",\"step\":3}");
  }

  /** How a message template is rendered, as Serilog renders one into its text. */
  @Test
  void aSerilogTemplateIsRenderedAsSerilogRendersIt() {
    Map<String, Object> properties = new java.util.LinkedHashMap<>();
    properties.put("Name", "sdxl");
    properties.put("Ok", true);
    properties.put("Sizes", List.of(512, "768"));
    properties.put("Gpu", Map.of("$type", "GpuInfo", "Index", 3));
    properties.put("Quote", "say \"hi\"");
    properties.put("0", "positional");

    assertThat(SerilogCompactRecord.render("{Name} {@Name} {$Name,8} {{Name}} }} {Missing} {Name:l} {Ok}", properties,
        List.of("sdxl"))).isEqualTo("\"sdxl\" \"sdxl\" \"sdxl\" {Name} } {Missing} sdxl True");
    assertThat(SerilogCompactRecord.render("{Sizes} {@Gpu} {Quote} {0} {Name is} {", properties, List.of()))
        .isEqualTo("[512, \"768\"] GpuInfo { Index: 3 } \"say \\\"hi\\\"\" \"positional\" {Name is} {");
    assertThat(SerilogCompactRecord.render("{Missing:0.0} then {Name:l}", properties, List.of("{Missing:0.0}", "sdxl")))
        .as("a missing property's rendering is in @r too").isEqualTo("{Missing:0.0} then sdxl");
  }

  @Test
  void logurusSerializedRecordsGiveTheirLevelMessageTimeTaskAndTraceback() throws Exception {
    ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);
    // As loguru 0.6.0 prints them with serialize=True, to stderr: logger.bind(task_id=..., frame=5),
    // then .info("rendering frame 5") and .exception("generation failed") in an except block.
    List<String> lines = resourceLines("/loggers/loguru-0.6.0-serialize.jsonl");
    ChildLineParser.Parsed info = parser.parse(lines.get(0), Level.WARNING, "stderr");
    ChildLineParser.Parsed error = parser.parse(lines.get(1), Level.WARNING, "stderr");

    assertThat(info.level()).isEqualTo(Level.INFO);
    assertThat(info.message()).isEqualTo("rendering frame 5");
    assertThat(info.task()).isEqualTo("task-lg-1");
    assertThat(info.time()).isAfter(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(info.metadata()).containsEntry("logger", "__main__").containsEntry("frame", 5)
        .containsEntry("function", "<module>").containsEntry("line", 6).containsEntry("thread", "MainThread")
        .doesNotContainKeys("text", "record", "exception");
    assertThat(error.level()).isEqualTo(Level.ERROR);
    assertThat(error.message()).isEqualTo("generation failed");
    assertThat(error.metadata().get("exception")).asString()
        .startsWith("Traceback (most recent call last):").endsWith("ZeroDivisionError: division by zero");
  }

  @Test
  void aJsonLinesTimeIsReadInTheFormsStructuredLoggersWriteIt() {
    java.time.Instant at = java.time.Instant.parse("2026-11-29T16:00:00.123456Z");

    assertThat(StructuredLine.time("2026-11-29T16:00:00.123456Z")).isEqualTo(at);
    assertThat(StructuredLine.time("2026-11-29T17:00:00.123456+01:00")).isEqualTo(at);
    assertThat(StructuredLine.time("2026-11-29 16:00:00.123456+00:00")).as("Python's str(datetime)").isEqualTo(at);
    assertThat(StructuredLine.time(1_795_968_000.123456)).as("seconds").isEqualTo(at);
    assertThat(StructuredLine.time(1_795_968_000_123L)).as("milliseconds").isEqualTo(at.minusNanos(456_000));
    assertThat(StructuredLine.time(1_795_968_000_123.456)).as("milliseconds with a fraction").isEqualTo(at);
    assertThat(StructuredLine.time(1_795_968_000_123_456L)).as("microseconds").isEqualTo(at);
    assertThat(StructuredLine.time(1_795_968_000_123_456_789L)).as("nanoseconds, to the microsecond").isEqualTo(at);
    assertThat(java.util.Arrays.asList(StructuredLine.time("2026-11-29 16:00:00"), StructuredLine.time("soon"),
        StructuredLine.time(-5), StructuredLine.time(true), StructuredLine.time(1.5),
        StructuredLine.time(17))).as("a duration is not a time").containsOnlyNulls();
    // Past the year 9999 no time: Instant threw, and the line was kept as printed, not read.
    assertThat(StructuredLine.time(1e39)).isNull();
    assertThat(StructuredLine.time(253_402_300_799.5e9)).as("nanoseconds").isEqualTo(java.time.Instant.parse("9999-12-31T23:59:59.5Z"));
    ChildLineParser.Parsed farOff = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END)
        .parse("{\"ts\":9999999999999999999999999999999999999999e-1,\"level\":\"WARNING\",\"msg\":\"x\"}", Level.INFO, "stdout");
    assertThat(farOff.level()).isEqualTo(Level.WARNING);
    assertThat(farOff.message()).isEqualTo("x");
    assertThat(farOff.time()).as("the line's arrival is its time").isNull();
  }

  @Test
  void pythonLoggingsDefaultFormatGivesTheLevelTheLoggerAndTheMessage() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    ChildLineParser.Parsed parsed = seed.parse("CRITICAL:diffusers.pipelines:disk full: 0 bytes left", Level.INFO, "stderr");
    assertThat(parsed.level()).isEqualTo(Level.CRITICAL);
    assertThat(parsed.message()).isEqualTo("disk full: 0 bytes left");
    assertThat(parsed.metadata()).containsEntry("logger", "diffusers.pipelines").containsEntry("stream", "stderr");
    assertThat(seed.parse("INFO:root:", Level.WARNING, "stderr").message()).isEmpty();
    assertThat(seed.parse("INFO:root:Task completed", Level.WARNING, "stderr").endsTask()).isTrue();
    // "%(levelname)s: %(message)s", pip's: the level, and the message after it
    ChildLineParser.Parsed pip = seed.parse("ERROR: No matching distribution found for nosuchpkg", Level.WARNING, "stderr");
    assertThat(pip.level()).isEqualTo(Level.ERROR);
    assertThat(pip.message()).isEqualTo("No matching distribution found for nosuchpkg");
    assertThat(seed.parse("DEBUG: Using selector: EpollSelector", Level.WARNING, "stderr").level()).isEqualTo(Level.DEBUG);
    assertThat(List.of("NOTICE:root:x", "INFO::x", "WARNING:no second colon"))
        .allSatisfy(line -> assertThat(seed.parse(line, Level.WARNING, "stderr").message()).isEqualTo(line));
    // two spaces, not uvicorn's column: a PostgreSQL server's message as psql writes it (PsqlLines)
    assertThat(seed.parse("INFO:  migration 7 applied", Level.WARNING, "stderr").message()).isEqualTo("migration 7 applied");
  }

  @Test
  void ncclsDebugLinesGiveTheirLevelTheirMessageAndNcclAsTheirComponent() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // NCCL_DEBUG=INFO's lines: host:pid:tid [GPU], then a warning's source file and line. Before,
    // a warning on stdout was INFO as any line there.
    assertThat(List.of(
            "gpu-node-1:4242:4242 [0] NCCL INFO Bootstrap : Using eth0:10.0.0.2<0>",
            "gpu-node-1:4242:4250 [0] misc/socket.cc:484 NCCL WARN socketStartConnect: Connect to 10.0.0.3<45678> failed",
            "gpu-node-1:4242:4250 [1] transport/net_ib.cc:1295 NCCL WARN NET/IB : Got completion from peer with error 12",
            "gpu-node-1:4242:4250 [0] enqueue.cc:1 NCCL ABORT x",
            "gpu-node-1:4242:4250 [0] NCCL TRACE x",
            "gpu-node-1:4242 [0] transport/net_socket.cc:484 NCCL WARN no thread: not NCCL's",
            "a worker's own line, long enough to pass the reach: NCCL WARN x"))
        .extracting(line -> seed.parse(line, Level.INFO, "stdout").level())
        .containsExactly(Level.INFO, Level.WARNING, Level.WARNING, Level.ERROR, Level.DEBUG, Level.INFO, Level.INFO);

    // The message after the level, and NCCL as the component, which --levels NCCL=WARNING quiets.
    // Before, the message kept the prefix.
    ChildLineParser.Parsed warning = seed.parse(
        "gpu-node-1:4242:4250 [1] misc/socket.cc:484 NCCL WARN socketStartConnect: Connect to 10.0.0.3<45678> failed",
        Level.INFO, "stdout");
    assertThat(warning.message()).isEqualTo("socketStartConnect: Connect to 10.0.0.3<45678> failed");
    assertThat(warning.metadata()).containsEntry("component", "NCCL").containsEntry("host", "gpu-node-1")
        .containsEntry("pid", 4242L).containsEntry("thread", 4250L).containsEntry("gpu", 1)
        .containsEntry("file", "misc/socket.cc").containsEntry("line", 484);
    ChildLineParser.Parsed info = seed.parse("gpu-node-1:4242:4242 [0] NCCL INFO Bootstrap : Using eth0:10.0.0.2<0>",
        Level.WARNING, "stderr");
    assertThat(info.message()).isEqualTo("Bootstrap : Using eth0:10.0.0.2<0>");
    assertThat(info.metadata()).containsEntry("component", "NCCL").doesNotContainKeys("file", "line");
    assertThat(seed.parse("gpu-node-1:4242:4250 [0] NCCL INFOx", Level.INFO, "stdout").message())
        .as("no level's word: whole").isEqualTo("gpu-node-1:4242:4250 [0] NCCL INFOx");
  }

  @Test
  void uvicornsLinesTakeTheirLevelAndLoseTheirPaddedPrefix() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // As uvicorn 0.x prints them on stderr: the level and its colon padded to 9, a space, the
    // message. Before, the message kept "INFO:     " in front.
    assertThat(List.of(
            "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)",
            "INFO:     127.0.0.1:51234 - \"POST /v1/render HTTP/1.1\" 200 OK",
            "WARNING:  StatReload detected changes in 'app.py'. Reloading...",
            "ERROR:    Exception in ASGI application",
            "CRITICAL: worker timeout",
            "DEBUG:    = connection is CONNECTING"))
        .extracting(line -> seed.parse(line, Level.WARNING, "stderr"))
        .extracting(ChildLineParser.Parsed::level, ChildLineParser.Parsed::message)
        .containsExactly(
            tuple(Level.INFO, "Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)"),
            tuple(Level.INFO, "127.0.0.1:51234 - \"POST /v1/render HTTP/1.1\" 200 OK"),
            tuple(Level.WARNING, "StatReload detected changes in 'app.py'. Reloading..."),
            tuple(Level.ERROR, "Exception in ASGI application"),
            tuple(Level.CRITICAL, "worker timeout"),
            tuple(Level.DEBUG, "= connection is CONNECTING"));
  }

  @Test
  void theDefaultTaskEndIsTheSeedWorkersPhrasesAsWordsNotAsyncioTasksOrSubtasks() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    assertThat(List.of("[12:00:01] SUCCESS WORKER [Task t-7] ✅ Task completed", "Task failed: CUDA out of memory",
            "task done", "Worker idle, polling for tasks"))
        .allSatisfy(line -> assertThat(seed.parse(line, Level.INFO, "stdout").endsTask()).as(line).isTrue());
    // asyncio's "Task exception was never retrieved" names the task it means so; before, that
    // line ended the worker's current task, and its traceback went to none.
    assertThat(List.of("future: <Task finished name='Task-2' coro=<boom() done, defined at w.py:11> exception=KeyError('x')>",
            "subtask done: 3 of 8", "multitask finished"))
        .allSatisfy(line -> assertThat(seed.parse(line, Level.WARNING, "stderr").endsTask()).as(line).isFalse());
  }

  @Test
  void logbacksAndLog4jsUnconfiguredConsolesGiveTheLevelTheLoggerTheThreadAndTheMessage() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // Logback 1.5.18 with no configuration, as printed; Log4j2's default pattern; Logback before 1.5.
    ChildLineParser.Parsed logback = seed.parse(
        "06:01:16.020 [main] WARN com.example.render.Worker -- VRAM nearly full", Level.INFO, "stdout");
    ChildLineParser.Parsed log4j = seed.parse(
        "06:01:16.020 [render-pool-2] ERROR com.example.render.Worker - generation failed - frame 7", Level.INFO, "stdout");
    ChildLineParser.Parsed older = seed.parse("06:01:16.020 [main] DEBUG c.e.render.Worker - Task completed", Level.INFO, "stdout");

    assertThat(logback.level()).isEqualTo(Level.WARNING);
    assertThat(logback.message()).isEqualTo("VRAM nearly full");
    assertThat(logback.metadata()).containsEntry("logger", "com.example.render.Worker").containsEntry("thread", "main");
    assertThat(log4j.level()).isEqualTo(Level.ERROR);
    assertThat(log4j.message()).isEqualTo("generation failed - frame 7");
    assertThat(log4j.metadata()).containsEntry("thread", "render-pool-2");
    assertThat(older.level()).isEqualTo(Level.DEBUG);
    assertThat(older.endsTask()).isTrue();
    assertThat(seed.parse("06:01:16.020 [main] NOTICE x -- y", Level.INFO, "stdout").message())
        .isEqualTo("06:01:16.020 [main] NOTICE x -- y");
  }

  @Test
  void pythonLoggingsDashedFormatGivesTheLevelTheLoggerAndTheMessage() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    ChildLineParser.Parsed parsed = seed.parse(
        "2026-11-29 17:17:42,731 - diffusers.pipelines.pipeline_utils - ERROR - render failed - frame 7", Level.INFO, "stderr");
    assertThat(parsed.level()).isEqualTo(Level.ERROR);
    assertThat(parsed.message()).isEqualTo("render failed - frame 7");
    assertThat(parsed.metadata()).containsEntry("logger", "diffusers.pipelines.pipeline_utils").containsEntry("stream", "stderr");
    assertThat(parsed.time()).as("local time with no zone: the line's arrival is the record's time").isNull();
    assertThat(seed.parse("2026-11-29 17:17:42,731 - worker - INFO - Task completed", Level.WARNING, "stderr").endsTask())
        .isTrue();
    assertThat(List.of("2026-11-29 17:17:42,731 - worker - NOTICE - x", "2026-11-29 17:17 - worker - INFO - x"))
        .allSatisfy(line -> assertThat(seed.parse(line, Level.WARNING, "stderr").message()).isEqualTo(line));
    // %(name)s:%(lineno)d: the logger, and its line apart; before, the logger "worker.render:32"
    ChildLineParser.Parsed numbered = seed.parse("2026-11-29 17:17:42,731 - worker.render:32 - ERROR - render failed",
        Level.INFO, "stderr");
    assertThat(numbered.message()).isEqualTo("render failed");
    assertThat(numbered.metadata()).containsEntry("logger", "worker.render").containsEntry("line", 32);
    assertThat(seed.parse("2026-11-29 17:17:42,731 - worker:v2 - ERROR - x", Level.INFO, "stderr").metadata())
        .as("no line after the colon").containsEntry("logger", "worker:v2").doesNotContainKey("line");
    // ... - %(funcName)s:%(lineno)d - %(message)s, and %(filename)s:%(lineno)d there; before, in the message
    ChildLineParser.Parsed function = seed.parse(
        "2026-11-29 17:17:42,731 - worker.render - ERROR - render_frame:32 - render failed - frame 7", Level.INFO, "stderr");
    assertThat(function.message()).isEqualTo("render failed - frame 7");
    assertThat(function.metadata()).containsEntry("logger", "worker.render").containsEntry("function", "render_frame")
        .containsEntry("line", 32);
    ChildLineParser.Parsed file = seed.parse("2026-11-29 17:17:42,731 - worker - ERROR - render.py:32 - render failed",
        Level.INFO, "stderr");
    assertThat(file.message()).isEqualTo("render failed");
    assertThat(file.metadata()).containsEntry("file", "render.py").containsEntry("line", 32).doesNotContainKey("function");
    assertThat(List.of("2026-11-29 17:17:42,731 - worker - ERROR - retry 3 - giving up",
            "2026-11-29 17:17:42,731 - worker - ERROR - redis.internal:6379 - refused",
            "2026-11-29 17:17:42,731 - worker - ERROR - 7:32 - x",
            "2026-11-29 17:17:42,731 - worker - ERROR - f:1234567890 - x",
            "2026-11-29 17:17:42,731 - worker - ERROR - f:3a4 - x",
            "2026-11-29 17:17:42,731 - render.py:7 - ERROR - f:32 - x"))
        .as("no function's name and line, or a place's already")
        .allSatisfy(line -> assertThat(seed.parse(line, Level.INFO, "stderr").metadata()).doesNotContainKey("function"));
  }

  @Test
  void pythonLoggingsDefaultFormatAfterATimeGivesTheLevelTheLoggerAndTheMessage() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // %(asctime)s:%(levelname)s:%(name)s:%(message)s; before, stored whole
    ChildLineParser.Parsed parsed = seed.parse("2026-12-07 01:27:34,903:ERROR:worker.render:frame 7: failed",
        Level.INFO, "stderr");
    assertThat(parsed.level()).isEqualTo(Level.ERROR);
    assertThat(parsed.message()).isEqualTo("frame 7: failed");
    assertThat(parsed.metadata()).containsEntry("logger", "worker.render");
    // %(asctime)s:%(levelname)s:%(message)s: no logger's name (it would have no spaces) before a colon
    ChildLineParser.Parsed noLogger = seed.parse("2026-12-07 01:27:34:WARNING:VRAM at 95%: slowing", Level.INFO, "stderr");
    assertThat(noLogger.level()).isEqualTo(Level.WARNING);
    assertThat(noLogger.message()).isEqualTo("VRAM at 95%: slowing");
    assertThat(noLogger.metadata()).doesNotContainKey("logger");
    assertThat(seed.parse("2026-12-07 01:27:34,903:NOTICE:x", Level.INFO, "stderr").message())
        .isEqualTo("2026-12-07 01:27:34,903:NOTICE:x");
  }

  @Test
  void hydrasFormatCopiedWithoutItsDashGivesTheLevelTheLoggerAndTheMessage() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // [%(asctime)s][%(name)s][%(levelname)s] %(message)s; before, stored whole
    ChildLineParser.Parsed parsed = seed.parse("[2026-12-07 01:27:34,903][worker.render][ERROR] frame 7 failed",
        Level.INFO, "stdout");
    assertThat(parsed.level()).isEqualTo(Level.ERROR);
    assertThat(parsed.message()).isEqualTo("frame 7 failed");
    assertThat(parsed.metadata()).containsEntry("logger", "worker.render");
    assertThat(seed.parse("[2026-12-07 01:27:34,903][worker.render][ERROR] - frame 7 failed", Level.INFO, "stdout")
        .message()).as("Hydra's own, as before").isEqualTo("frame 7 failed");
  }

  @Test
  void pythonLoggingsDashedFormatIsReadInTheOrderAndWithTheDatesOfHuggingFacesScripts() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // transformers', diffusers' and accelerate's example scripts: the level before the logger,
    // and datefmt="%m/%d/%Y %H:%M:%S".
    ChildLineParser.Parsed huggingFace = seed.parse(
        "12/02/2026 22:00:01 - WARNING - accelerate.utils.modeling - device_map auto - cpu offload", Level.INFO, "stderr");
    assertThat(huggingFace.level()).isEqualTo(Level.WARNING);
    assertThat(huggingFace.message()).isEqualTo("device_map auto - cpu offload");
    assertThat(huggingFace.metadata()).containsEntry("logger", "accelerate.utils.modeling");
    // A datefmt of whole seconds; and the format without the logger.
    ChildLineParser.Parsed seconds = seed.parse("2026-11-29 17:17:42 - worker - ERROR - render failed", Level.INFO, "stderr");
    assertThat(seconds.level()).isEqualTo(Level.ERROR);
    assertThat(seconds.message()).isEqualTo("render failed");
    assertThat(seconds.metadata()).containsEntry("logger", "worker");
    ChildLineParser.Parsed noLogger = seed.parse("2026-11-29 17:17:42,731 - INFO - Loading model wan2.1", Level.WARNING, "stderr");
    assertThat(noLogger.level()).isEqualTo(Level.INFO);
    assertThat(noLogger.message()).isEqualTo("Loading model wan2.1");
    assertThat(noLogger.metadata()).doesNotContainKey("logger");
  }

  @Test
  void deepSpeedsFormatGivesTheLevelTheMessageAndWhereItWasLogged() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    ChildLineParser.Parsed parsed = seed.parse("[2026-12-02 22:00:00,123] [INFO] [real_accelerator.py:203:get_accelerator] "
        + "Setting ds_accelerator to cuda (auto detect)", Level.WARNING, "stderr");
    assertThat(parsed.level()).isEqualTo(Level.INFO);
    assertThat(parsed.message()).isEqualTo("Setting ds_accelerator to cuda (auto detect)");
    assertThat(parsed.metadata()).containsEntry("file", "real_accelerator.py").containsEntry("line", 203)
        .containsEntry("function", "get_accelerator");
    assertThat(seed.parse("[2026-12-02 22:00:00] [WARNING] [engine.py:7:<module>] no millis", Level.INFO, "stderr").message())
        .isEqualTo("no millis");
    assertThat(seed.parse("[2026-12-02 22:00:00,123] [NOTICE] [x.py:1:f] m", Level.INFO, "stderr").message())
        .isEqualTo("[2026-12-02 22:00:00,123] [NOTICE] [x.py:1:f] m");
    // Not DeepSpeed's: a time and a level, and the rest the message (TimeThenLevelLinesTest)
    assertThat(List.of("[2026-12-02 22:00:00,123] [INFO] [x.py:f] m", "[2026-12-02 22:00:00,123] [INFO] [x.py:99999999999:f] m"))
        .allSatisfy(line -> assertThat(seed.parse(line, Level.INFO, "stderr").metadata()).doesNotContainKey("file"));
  }

  @Test
  void airflowsFormatGivesTheLevelTheMessageThePlaceAndTheTimeWhereItHasItsOffset() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // Airflow 2.5+: "[%(asctime)s] {%(filename)s:%(lineno)d} %(levelname)s - %(message)s", its
    // TimezoneAware formatter's time; before, the line was stored whole (heartlog run found its
    // level by its word)
    ChildLineParser.Parsed failed = seed.parse("[2026-12-07T12:00:00.123+0000] {taskinstance.py:2905} ERROR - Task "
        + "failed with exception", Level.WARNING, "stderr");
    assertThat(failed.level()).isEqualTo(Level.ERROR);
    assertThat(failed.message()).isEqualTo("Task failed with exception");
    assertThat(failed.metadata()).containsEntry("file", "taskinstance.py").containsEntry("line", 2905);
    assertThat(failed.time()).isEqualTo(Instant.parse("2026-12-07T12:00:00.123Z"));
    assertThat(seed.parse("[2026-12-07T13:00:00.500+0100] {task_command.py:423} INFO - Running <TaskInstance: render.frame "
        + "manual__2026-12-07 [running]> on host worker-1", Level.WARNING, "stderr").time())
        .isEqualTo(Instant.parse("2026-12-07T12:00:00.500Z"));
    // Python's time before 2.5, and the web page's: no zone, the time the line came
    ChildLineParser.Parsed older = seed.parse("[2026-12-07 12:00:00,123] {scheduler_job.py:123} WARNING - slow DAG file",
        Level.INFO, "stdout");
    assertThat(older.level()).isEqualTo(Level.WARNING);
    assertThat(older.message()).isEqualTo("slow DAG file");
    assertThat(older.time()).isNull();
    assertThat(seed.parse("[2026-12-07, 12:00:00 UTC] {logging_mixin.py:188} INFO - frame 7 done", Level.WARNING, "stderr")
        .message()).isEqualTo("frame 7 done");
    String notLevel = "[2026-12-07T12:00:00.123+0000] {x.py:1} NOTICE - m";
    assertThat(seed.parse(notLevel, Level.INFO, "stderr").message()).isEqualTo(notLevel);
  }

  @Test
  void sglangsLinesGiveTheirMessageAndTheProcessesPlaceInTheRunAtTheStreamsLevel() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    ChildLineParser.Parsed parsed = seed.parse("[2026-05-15 08:39:36 DP1 TP0] Load weight begin. avail mem=93.61 GB",
        Level.WARNING, "stderr");
    assertThat(parsed.level()).as("no level named: the stream's").isEqualTo(Level.WARNING);
    assertThat(parsed.ownLevel()).isFalse();
    assertThat(parsed.message()).isEqualTo("Load weight begin. avail mem=93.61 GB");
    assertThat(parsed.metadata()).containsEntry("process", "DP1 TP0");
    assertThat(seed.parse("[22:30:32 TP0] Init nccl begin.", Level.INFO, "stdout").message()).isEqualTo("Init nccl begin.");
    assertThat(List.of("[2026-05-15 08:39:19 tp0] x", "[2026-05-15 08:39:19 TP] x"))
        .as("no process's place: whole").allSatisfy(line -> assertThat(seed.parse(line, Level.INFO, "stdout").message())
            .as(line).isEqualTo(line));
    ChildLineParser.Parsed main = seed.parse("[2026-05-15 08:39:19] server_args=ServerArgs()", Level.WARNING, "stderr");
    assertThat(main.message()).as("the main process's: the time alone").isEqualTo("server_args=ServerArgs()");
    assertThat(main.metadata()).doesNotContainKey("process");
    assertThat(main.level()).isEqualTo(Level.WARNING);
    assertThat(main.plain()).as("may be more of the record before it").isTrue();
  }

  @Test
  void aLineOfATimeInBracketsAndAMessageGivesTheMessage() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // Python's logging given "[%(asctime)s] %(message)s", with and without a datefmt
    ChildLineParser.Parsed parsed = seed.parse("[2026-12-07 04:35:55,123] rendering frame 12 of 240", Level.WARNING, "stderr");
    assertThat(parsed.message()).isEqualTo("rendering frame 12 of 240");
    assertThat(parsed.level()).as("no level named: the stream's").isEqualTo(Level.WARNING);
    assertThat(parsed.time()).as("no zone: the time the line came").isNull();
    assertThat(seed.parse("[04:35:55] loading model", Level.INFO, "stdout").message()).isEqualTo("loading model");
    ChildLineParser.Parsed error = seed.parse("[2026-12-07 04:35:55] Error: model file is truncated", Level.INFO, "stdout");
    assertThat(error.level()).as("a level's word first").isEqualTo(Level.ERROR);
    assertThat(error.message()).isEqualTo("Error: model file is truncated");
    assertThat(seed.parse("[2026-12-07T04:35:55.123Z] uploaded", Level.INFO, "stdout").time())
        .isEqualTo(Instant.parse("2026-12-07T04:35:55.123Z"));
    assertThat(List.of("[2026-12-07 04:35:55]", "[2026-12-07 04:35:55]   ", "[2026-12-07 04:35:55]x", "[1, 2, 3] items",
            "[12345678] not a time", "[2026-12-07 04:35:55] [render] [NOTICE] m", "[2026-12-07 04:35:55] {w.py:7} m"))
        .as("nothing after it, no such time, or another format's fields in brackets: whole")
        .allSatisfy(line -> assertThat(seed.parse(line, Level.INFO, "stdout").message()).as(line).isEqualTo(line));
  }

  @Test
  void transformersAndLlamaFactorysExplicitFormatsGiveTheLevelTheMessageAndWhereItWasLogged() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    ChildLineParser.Parsed parsed = seed.parse("[WARNING|modeling_utils.py:3952] 2026-12-06 05:00:04,456 >> Some weights "
        + "of BertForSequenceClassification were not initialized", Level.INFO, "stdout");
    assertThat(parsed.level()).isEqualTo(Level.WARNING);
    assertThat(parsed.message()).isEqualTo("Some weights of BertForSequenceClassification were not initialized");
    assertThat(parsed.metadata()).containsEntry("file", "modeling_utils.py").containsEntry("line", 3952);
    assertThat(seed.parse("[ERROR|trainer.py:2000] 2026-12-06 05:00:05 >> no millis", Level.INFO, "stdout").message())
        .isEqualTo("no millis");
    assertThat(seed.parse("[NOTICE|x.py:1] 2026-12-06 05:00:05,000 >> m", Level.INFO, "stderr").message())
        .isEqualTo("[NOTICE|x.py:1] 2026-12-06 05:00:05,000 >> m");
    // LLaMA-Factory's, the time in the level's brackets, the logger and its line after them.
    // Before, the line was stored whole at its level.
    ChildLineParser.Parsed factory = seed.parse("[WARNING|2025-05-06 22:26:52] llamafactory.data.loader:143 >> "
        + "Loading dataset alpaca.json...", Level.INFO, "stdout");
    assertThat(factory.level()).isEqualTo(Level.WARNING);
    assertThat(factory.message()).isEqualTo("Loading dataset alpaca.json...");
    assertThat(factory.metadata()).containsEntry("logger", "llamafactory.data.loader").containsEntry("line", 143)
        .doesNotContainKey("file");
  }

  @Test
  void aLineOfTheSeedsShapeWhoseLevelEndsInAColonIsAtThatLevelWithAllAfterItsMessage() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // Python's "[%(asctime)s] %(levelname)s: %(message)s" with datefmt="%H:%M:%S"
    ChildLineParser.Parsed error = seed.parse("[23:31:13] ERROR: frame 3 failed", Level.WARNING, "stderr");
    assertThat(error.level()).as("before, the stream's: WARNING").isEqualTo(Level.ERROR);
    assertThat(error.message()).isEqualTo("frame 3 failed");
    assertThat(error.metadata()).doesNotContainKeys("component", "marker");
    assertThat(error.ownLevel()).isTrue();
    assertThat(seed.parse("[23:31:13] warning: disk   nearly full", Level.INFO, "stdout"))
        .satisfies(parsed -> assertThat(parsed.level()).isEqualTo(Level.WARNING))
        .satisfies(parsed -> assertThat(parsed.message()).isEqualTo("disk   nearly full"));

    ChildLineParser.Parsed seeds = seed.parse("[23:31:13] ERROR render [Task t-7] frame 3 failed", Level.WARNING, "stderr");
    assertThat(seeds.metadata()).as("the seed's own line, unchanged").containsEntry("component", "render");
    assertThat(seeds.task()).isEqualTo("t-7");
    ChildLineParser.Parsed word = seed.parse("[23:31:13] Note: frame 3 failed", Level.WARNING, "stderr");
    assertThat(word.metadata()).as("no level's name before the colon: as before").containsEntry("marker", "Note:");
  }

  @Test
  void aWordThatIsNoLevelWhereTheSeedsLevelGoesIsNoSeedLine() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // Python's "[%(asctime)s] %(message)s" with datefmt="%H:%M:%S"; before, INFO, "now", component "worker"
    ChildLineParser.Parsed plain = seed.parse("[12:00:00] Starting worker now", Level.WARNING, "stderr");
    assertThat(plain.message()).as("the time in brackets alone taken off").isEqualTo("Starting worker now");
    assertThat(plain.level()).as("the stream's, as for any line in no format").isEqualTo(Level.WARNING);
    assertThat(plain.metadata()).doesNotContainKey("component");
    // "[%(asctime)s] %(name)s %(levelname)s %(message)s"; before, the component was "INFO" and "render" dropped
    ChildLineParser.Parsed named = seed.parse("[12:00:00] render INFO frame 7 done", Level.WARNING, "stderr");
    assertThat(named.level()).isEqualTo(Level.INFO);
    assertThat(named.message()).isEqualTo("frame 7 done");
    assertThat(named.metadata()).containsEntry("logger", "render").doesNotContainKey("component");
    assertThat(seed.parse("[12:00:00] info render x", Level.WARNING, "stderr").metadata())
        .as("a level's name in any case: the seed's line, as before").containsEntry("component", "render");
    assertThat(seed.parse("[12:00:00] SUCCESS render done", Level.WARNING, "stderr").metadata())
        .as("the seed's own markers, as before").containsEntry("kind", "success").containsEntry("component", "render");
  }

  @Test
  void aDashOrPipeWhereTheSeedsComponentGoesIsNoComponent() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // Python's "[%(asctime)s] %(levelname)s - %(message)s" with datefmt="%H:%M:%S"; before, "-" was the component
    for (String line : List.of("[23:31:13] ERROR - frame 3 failed", "[23:31:13] ERROR | frame 3 failed")) {
      ChildLineParser.Parsed error = seed.parse(line, Level.WARNING, "stderr");
      assertThat(error.level()).as(line).isEqualTo(Level.ERROR);
      assertThat(error.message()).as(line).isEqualTo("frame 3 failed");
      assertThat(error.metadata()).as(line).doesNotContainKey("component");
    }
    assertThat(seed.parse("[23:31:13] ERROR - [Task t-7] frame 3 failed", Level.WARNING, "stderr").task())
        .isEqualTo("t-7");
  }

  @Test
  void openTelemetrysLoggingFormatGivesTheLevelMessageLoggerPlaceAndTheSpanItWasLoggedIn() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // OTEL_PYTHON_LOG_CORRELATION=true's format, in a span
    ChildLineParser.Parsed inSpan = seed.parse("2026-12-06 23:23:55,617 WARNING [render.pipeline] [worker.py:42] "
        + "[trace_id=7f3a9c1e2b4d5f60718293a4b5c6d7e8 span_id=0af7651916cd43dd resource.service.name=render-worker "
        + "trace_sampled=True] - VRAM nearly full: 79.1 of 80 GiB", Level.INFO, "stderr");
    assertThat(inSpan.level()).isEqualTo(Level.WARNING);
    assertThat(inSpan.message()).isEqualTo("VRAM nearly full: 79.1 of 80 GiB");
    assertThat(inSpan.metadata()).containsEntry("logger", "render.pipeline").containsEntry("file", "worker.py")
        .containsEntry("line", 42).containsEntry("trace_id", "7f3a9c1e2b4d5f60718293a4b5c6d7e8")
        .containsEntry("span_id", "0af7651916cd43dd").containsEntry("trace_sampled", true)
        .containsEntry("service", "render-worker");

    // outside a span, no tracer provider: the instrumentation's zeros and empty name are no span and no service
    ChildLineParser.Parsed outside = seed.parse("2026-12-06 23:23:55,618 ERROR [__main__] [worker.py:50] "
        + "[trace_id=0 span_id=0 resource.service.name= trace_sampled=False] - Task failed", Level.INFO, "stderr");
    assertThat(outside.level()).isEqualTo(Level.ERROR);
    assertThat(outside.message()).isEqualTo("Task failed");
    assertThat(outside.metadata()).containsEntry("logger", "__main__").containsEntry("line", 50)
        .doesNotContainKeys("trace_id", "span_id", "trace_sampled", "service");

    // releases before 0.39b0: no trace_sampled; the SDK's name for a service none named
    ChildLineParser.Parsed older = seed.parse("2026-12-06 23:23:55,619 INFO [render] [w.py:7] "
        + "[trace_id=7f3a9c1e2b4d5f60718293a4b5c6d7e8 span_id=0af7651916cd43dd resource.service.name=unknown_service] "
        + "- frame 3 done", Level.WARNING, "stderr");
    assertThat(older.level()).isEqualTo(Level.INFO);
    assertThat(older.message()).isEqualTo("frame 3 done");
    assertThat(older.metadata()).containsEntry("span_id", "0af7651916cd43dd").doesNotContainKeys("trace_sampled", "service");

    String odd = "2026-12-06 23:23:55,620 NOTICE [render] [w.py:7] [trace_id=0 span_id=0 resource.service.name=] - m";
    assertThat(seed.parse(odd, Level.INFO, "stdout").metadata()).as("no Python level: not this format")
        .doesNotContainKeys("file", "line");
  }

  @Test
  void aCustomLineFormatWithNamedGroups() {
    ChildLineParser parser = new ChildLineParser(
        "^(?<level>[A-Z]+)\\|(?<task>[^|]*)\\|(?<message>.*)$", ChildLineParser.DEFAULT_TASK_END);

    ChildLineParser.Parsed parsed = parser.parse("ERROR|job-9|disk full", Level.INFO, "stdout");

    assertThat(parsed.level()).isEqualTo(Level.ERROR);
    assertThat(parsed.task()).isEqualTo("job-9");
    assertThat(parsed.message()).isEqualTo("disk full");
  }

  /** Before, a group the format named beside these four was matched and its text dropped. */
  @Test
  void aCustomLineFormatsOtherNamedGroupsAreTheRecordsMetadata() {
    ChildLineParser parser = new ChildLineParser(
        "^(?<level>[A-Z]+) gpu(?<gpu>\\d+) (?<model>\\S+) (?<seq>\\d+)(?<note>!)? (?<message>.*)$", ChildLineParser.DEFAULT_TASK_END);

    ChildLineParser.Parsed parsed = parser.parse("ERROR gpu3 wan2.1 007 VRAM at 95%", Level.INFO, "stdout");

    assertThat(parsed.level()).isEqualTo(Level.ERROR);
    assertThat(parsed.message()).isEqualTo("VRAM at 95%");
    assertThat(parsed.metadata()).containsEntry("gpu", 3L).containsEntry("model", "wan2.1")
        .as("a leading zero: kept as text").containsEntry("seq", "007")
        .as("a group that did not match: left out").doesNotContainKey("note");
  }

  @Test
  void aFormatWithoutSomeGroupsLeavesThemOutAndMarkersAreKept() {
    ChildLineParser onlyMessage = new ChildLineParser("^>> (?<message>.*)$", ChildLineParser.DEFAULT_TASK_END);
    ChildLineParser.Parsed parsed = onlyMessage.parse(">> frame 7 done", Level.WARNING, "stderr");
    assertThat(parsed.level()).isEqualTo(Level.WARNING);
    assertThat(parsed.task()).isNull();
    assertThat(parsed.message()).isEqualTo("frame 7 done");
    assertThat(parsed.metadata()).containsOnlyKeys("stream");

    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);
    assertThat(seed.parse("[10:00:00] ❌ GENERATOR [Task t-1] CUDA out of memory", Level.INFO, "stdout"))
        .satisfies(p -> assertThat(p.level()).isEqualTo(Level.ERROR))
        .satisfies(p -> assertThat(p.metadata()).containsEntry("marker", "❌").containsEntry("component", "GENERATOR"));
    assertThat(seed.parse("[10:00:00] warn GENERATOR low headroom", Level.INFO, "stdout"))
        .satisfies(p -> assertThat(p.level()).isEqualTo(Level.WARNING))
        .satisfies(p -> assertThat(p.metadata()).doesNotContainKey("marker"));
  }

  @Test
  void goLogPackagesLinesAreInfoUnlessTheyNameALevel() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // log.Printf with the default flags, on stderr.
    ChildLineParser.Parsed plain = seed.parse("2026/11/29 18:38:07 rendering 3 frames", Level.WARNING, "stderr");
    assertThat(plain.level()).as("Go's log names no level and writes everything to stderr").isEqualTo(Level.INFO);
    assertThat(plain.message()).isEqualTo("rendering 3 frames");
    assertThat(plain.metadata()).containsOnlyKeys("stream");
    assertThat(plain.time()).as("local time with no zone: the line's arrival is the record's time").isNull();

    // log.Lmicroseconds | log.Lshortfile, and a level the message names.
    ChildLineParser.Parsed withFile = seed.parse("2026/11/29 18:38:07.123456 claim.go:42: [ERROR] queue unreachable",
        Level.WARNING, "stderr");
    assertThat(withFile.level()).isEqualTo(Level.ERROR);
    assertThat(withFile.message()).isEqualTo("[ERROR] queue unreachable");
    assertThat(withFile.metadata()).containsEntry("caller", "claim.go:42");
    assertThat(seed.parse("2026/11/29 18:38:07 /src/worker/claim.go:42: claimed", Level.WARNING, "stderr").metadata())
        .as("Llongfile").containsEntry("caller", "/src/worker/claim.go:42");

    // A failed call's error last, as a Go 1.19 program's log.Fatalf printed it before it exited;
    // and net's refused connection. Before, INFO.
    assertThat(List.of("2026/12/04 02:17:30 load model: open /models/x.bin: no such file or directory",
            "2026/12/04 02:17:30 claim: dial tcp 127.0.0.1:5499: connect: connection refused"))
        .extracting(line -> seed.parse(line, Level.WARNING, "stderr").level()).containsOnly(Level.ERROR);
    assertThat(seed.parse("2026/12/04 02:17:30 frames left: 0", Level.WARNING, "stderr").level()).isEqualTo(Level.INFO);
    assertThat(seed.parse("2026/12/04 02:17:30 checked: no such file or directory entries", Level.WARNING, "stderr").level())
        .isEqualTo(Level.INFO);

    // log/slog's default handler writes through log, the level first.
    assertThat(List.of("2026/11/29 18:38:07 DEBUG step=3", "2026/11/29 18:38:07 INFO frame rendered frame=7",
            "2026/11/29 18:38:07 WARN low VRAM free_mb=512", "2026/11/29 18:38:07 ERROR render failed err=\"CUDA out of memory\""))
        .extracting(line -> seed.parse(line, Level.WARNING, "stderr"))
        .extracting(ChildLineParser.Parsed::level, ChildLineParser.Parsed::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Level.DEBUG, "step=3"),
            org.assertj.core.groups.Tuple.tuple(Level.INFO, "frame rendered frame=7"),
            org.assertj.core.groups.Tuple.tuple(Level.WARNING, "low VRAM free_mb=512"),
            org.assertj.core.groups.Tuple.tuple(Level.ERROR, "render failed err=\"CUDA out of memory\""));
    // A program's own levels between slog's, as slog names them: the name below, and the distance.
    assertThat(List.of("2026/11/29 18:38:07 DEBUG-4 polling", "2026/11/29 18:38:07 INFO+2 model swapped",
            "2026/11/29 18:38:07 ERROR+4 giving up", "2026/11/29 18:38:07 INFO+ x", "2026/11/29 18:38:07 INFO+2a x"))
        .extracting(line -> seed.parse(line, Level.WARNING, "stderr"))
        .extracting(ChildLineParser.Parsed::level, ChildLineParser.Parsed::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Level.DEBUG, "polling"),
            org.assertj.core.groups.Tuple.tuple(Level.INFO, "model swapped"),
            org.assertj.core.groups.Tuple.tuple(Level.ERROR, "giving up"),
            org.assertj.core.groups.Tuple.tuple(Level.INFO, "INFO+ x"),
            org.assertj.core.groups.Tuple.tuple(Level.INFO, "INFO+2a x"));

    assertThat(seed.parse("2026/11/29 18:38:07 task completed", Level.WARNING, "stderr").endsTask()).isTrue();
    // Not Go's format: kept whole at the stream's level.
    assertThat(List.of("2026/11/29 rendering", "2026-11-29 18:38:07 rendering", "2026/11/29 18:38:07.123 rendering"))
        .allSatisfy(line -> assertThat(seed.parse(line, Level.WARNING, "stderr"))
            .satisfies(p -> assertThat(p.message()).isEqualTo(line))
            .satisfies(p -> assertThat(p.level()).isEqualTo(Level.WARNING)));
  }

  @Test
  void logfmtLinesGiveLevelMessageTimeAndKeepTheirOtherPairs() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // Go's log/slog TextHandler.
    ChildLineParser.Parsed slog = seed.parse("time=2026-11-29T18:38:07.123+01:00 level=WARN msg=\"low VRAM\" "
        + "free_mb=512 task_id=t-42 model=wan2.1", Level.INFO, "stderr");
    assertThat(slog.level()).isEqualTo(Level.WARNING);
    assertThat(slog.message()).isEqualTo("low VRAM");
    assertThat(slog.task()).isEqualTo("t-42");
    assertThat(slog.time()).isEqualTo(java.time.Instant.parse("2026-11-29T17:38:07.123Z"));
    assertThat(slog.metadata()).containsEntry("free_mb", "512").containsEntry("model", "wan2.1")
        .containsEntry("stream", "stderr").doesNotContainKeys("time", "level", "msg", "task_id");
    assertThat(List.of("level=ERROR+4 msg=\"giving up\"", "level=INFO+2 msg=swapped", "level=DEBUG-4 msg=polling",
            "level=INFO+two msg=odd"))
        .extracting(line -> seed.parse(line, Level.WARNING, "stderr").level())
        .as("slog's levels between its own").containsExactly(Level.ERROR, Level.INFO, Level.DEBUG, Level.WARNING);

    // logrus's text formatter, not on a terminal: lower-case levels, quoted time, Go's escapes.
    ChildLineParser.Parsed logrus = seed.parse("time=\"2026-11-29T18:38:07Z\" level=error "
        + "msg=\"render failed: \\\"frame 7\\\"\\n\\tretrying\" attempt=2 empty=", Level.INFO, "stderr");
    assertThat(logrus.level()).isEqualTo(Level.ERROR);
    assertThat(logrus.message()).isEqualTo("render failed: \"frame 7\"\n\tretrying");
    assertThat(logrus.metadata()).containsEntry("attempt", "2").containsEntry("empty", "");

    // go-kit: ts, caller.
    ChildLineParser.Parsed goKit = seed.parse("ts=2026-11-29T18:38:07.123456789Z caller=claim.go:42 level=info msg=claimed",
        Level.WARNING, "stderr");
    assertThat(goKit.level()).isEqualTo(Level.INFO);
    assertThat(goKit.message()).isEqualTo("claimed");
    assertThat(goKit.time()).isEqualTo(java.time.Instant.parse("2026-11-29T18:38:07.123456789Z"));
    assertThat(goKit.metadata()).containsEntry("caller", "claim.go:42");

    assertThat(seed.parse("level=info msg=\"Task completed\"", Level.WARNING, "stderr").endsTask()).isTrue();
    assertThat(seed.parse("msg=\"caf\\u00e9\" level=info", Level.WARNING, "stderr").message()).isEqualTo("café");
    assertThat(seed.parse("msg=C:\\tmp level=info", Level.WARNING, "stderr").message()).as("a bare value is as written")
        .isEqualTo("C:\\tmp");
    assertThat(seed.parse("level=info msg=\"\\U0001F3AC take 2\"", Level.WARNING, "stderr").message()).isEqualTo("🎬 take 2");
    // Not logfmt, or logfmt without a level or a message: kept whole at the stream's level.
    assertThat(List.of("loss=0.23 step=100", "level=info", "level=info msg=\"never closed", "level=info done",
            "level=info msg=a=b", "level=info msg=\"a\"b", "level=info msg=\"\\q\"", "x = 1 level=info",
            "level=info msg=\"\\x+1\"", "level=info msg=\"\\u00g9\"", "level=info msg=\"\\UFFFFFFFF\""))
        .allSatisfy(line -> assertThat(seed.parse(line, Level.WARNING, "stderr"))
            .satisfies(p -> assertThat(p.message()).isEqualTo(line))
            .satisfies(p -> assertThat(p.level()).isEqualTo(Level.WARNING)));
  }

  @Test
  void structlogsConsoleLinesTakeTheLevelInTheirBrackets() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // What structlog 22.3's default configuration printed here (Debian's python3-structlog), on stdout.
    assertThat(List.of(
            "2026-11-29 18:42:45 [info     ] frame rendered                 frame=7",
            "2026-11-29 18:42:45 [warning  ] low VRAM                       free_mb=512",
            "2026-11-29 18:42:45 [error    ] render failed",
            "2026-11-29 18:42:45 [critical ] disk full",
            "2026-11-29 18:42:45 [debug    ] step 3",
            "[warn] lower case in brackets",
            "[Task t-1] error bars drawn",              // a word in brackets that is no level: the stream's
            "[info and more] not alone in its brackets",
            "x".repeat(LevelNames.LEVEL_NAME_REACH) + " [error] beyond the reach"))
        .extracting(line -> seed.parse(line, Level.INFO, "stdout").level())
        .containsExactly(Level.INFO, Level.WARNING, Level.ERROR, Level.CRITICAL, Level.DEBUG, Level.WARNING,
            Level.INFO, Level.INFO, Level.INFO);
    assertThat(seed.parse("2026-11-29 18:42:45 [error    ] render failed", Level.INFO, "stdout").message())
        .as("the event alone; before, kept whole").isEqualTo("render failed");
  }

  @Test
  void structlogsConsoleLinesGiveTheEventTheLoggerAndTheFieldsATaskAmongThem() {
    ChildLineParser seed = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

    // structlog 22.3's ConsoleRenderer (Debian's), a logger bound to its task: fields sorted, strings bare
    ChildLineParser.Parsed bound = seed.parse("2026-12-06 23:31:13 [warning  ] VRAM nearly full               "
        + "note=two words here ok=True shape=[1, 2] task_id=3f2a9c1e used_gib=79.1", Level.INFO, "stdout");
    assertThat(bound.level()).isEqualTo(Level.WARNING);
    assertThat(bound.message()).isEqualTo("VRAM nearly full");
    assertThat(bound.task()).isEqualTo("3f2a9c1e");
    assertThat(bound.metadata()).containsEntry("note", "two words here").containsEntry("ok", "True")
        .containsEntry("shape", "[1, 2]").containsEntry("used_gib", "79.1").doesNotContainKey("task_id");
    assertThat(bound.time()).as("a local time, no zone: the line's arrival is the record's").isNull();

    // an event longer than the 30 it is padded to: one space before the fields
    ChildLineParser.Parsed longEvent = seed.parse("2026-12-06 23:31:13 [info     ] "
        + "a very long event name that is longer than thirty characters frame=3 x=", Level.INFO, "stdout");
    assertThat(longEvent.message()).isEqualTo("a very long event name that is longer than thirty characters");
    assertThat(longEvent.metadata()).containsEntry("frame", "3").containsEntry("x", "");

    // add_logger_name's logger, TimeStamper(fmt="iso")'s time in UTC, and no time at all
    ChildLineParser.Parsed named = seed.parse("2026-12-06T23:31:13.123456Z [error    ] render failed                  "
        + "[render.pipeline] frame=3", Level.INFO, "stdout");
    assertThat(named.message()).isEqualTo("render failed");
    assertThat(named.metadata()).containsEntry("logger", "render.pipeline").containsEntry("frame", "3");
    assertThat(named.time()).isEqualTo(java.time.Instant.parse("2026-12-06T23:31:13.123456Z"));
    assertThat(seed.parse("[debug    ] no time", Level.INFO, "stdout").message()).isEqualTo("no time");
    assertThat(seed.parse("2026-12-06 23:31:13 [info     ] loss=0.41 at step 3", Level.INFO, "stdout").message())
        .as("a short event that only looks like a field: no padding after it").isEqualTo("loss=0.41 at step 3");

    assertThat(seed.parse("2026-12-06 23:31:13 [info     ] an event of more than thirty characters saved [out] to disk",
        Level.INFO, "stdout")).as("a bracket in a long event, no logger's name: nothing of it lost").satisfies(parsed -> {
          assertThat(parsed.message()).isEqualTo("an event of more than thirty characters saved [out] to disk");
          assertThat(parsed.metadata()).doesNotContainKey("logger");
        });

    assertThat(List.of("2026-12-06 23:31:13 [info] not padded", "2026-12-06 23:31:13 [info ] short of the padding",
            "2026-12-06 23:31:13 [notalevel ] padded",
            "2026-12-06 23:31:13 [Info     ] capitalized"))
        .as("not structlog's: kept whole").allSatisfy(line ->
            assertThat(seed.parse(line, Level.INFO, "stdout").message()).isEqualTo(line));
  }
}
