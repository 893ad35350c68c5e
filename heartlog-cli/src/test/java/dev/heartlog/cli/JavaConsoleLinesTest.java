package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consoles of the JVM's loggers and frameworks ({@link JavaConsoleLines}), printed by the
 * loggers themselves in a worker's JVM: slf4j-simple, JBoss LogManager in Quarkus's format,
 * Logback with Dropwizard's exception converter, and Log4j2 in Spark's format (their jars copied
 * to target/worker-loggers by the build).
 */
class JavaConsoleLinesTest {

  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  /** What every worker below does: INFO, WARN, and an error with an exception that has a cause. */
  private static final String RENDER = """
          static void render() {
            try {
              throw new java.io.IOException("No space left on device");
            } catch (java.io.IOException e) {
              throw new IllegalStateException("task 42 failed", e);
            }
          }
      """;

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void slf4jsSimpleLogger() throws Exception {
    List<StoredRecord> records = run("slf4j-simple", List.of(), List.of(WrappedWorkers.jarOf(org.slf4j.LoggerFactory.class),
        WrappedWorkers.workerLogger("slf4j-simple-")), """
        public class Render {
          public static void main(String[] args) throws Exception {
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("com.example.render.Worker");
            log.info("Rendering task 42");
            log.warn("VRAM nearly full");
            Thread worker = new Thread(() -> {
              try {
                render();
              } catch (RuntimeException e) {
                log.error("Render failed", e);
              }
            }, "pool-1-thread-1");
            worker.start();
            worker.join();
          }
        """ + RENDER + "}\n");

    // Before: "[main] INFO com.example.render.Worker - Rendering task 42", whole.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Rendering task 42"), tuple("WARNING", "VRAM nearly full"), tuple("ERROR", "Render failed"));
    assertThat(records.get(0).metadataJson()).contains("\"logger\": \"com.example.render.Worker\"", "\"thread\": \"main\"");
    StoredRecord error = records.get(2);
    assertThat(error.metadataJson()).contains("\"thread\": \"pool-1-thread-1\"");
    assertThat(error.exception()).startsWith("java.lang.IllegalStateException: task 42 failed\n\tat Render.render(")
        .contains("\nCaused by: java.io.IOException: No space left on device\n");
  }

  @Test
  void jbossLogManagerInQuarkussFormatWithTheExceptionAfterTheMessage() throws Exception {
    List<StoredRecord> records = run("jboss-logmanager", List.of("-Djava.util.logging.manager=org.jboss.logmanager.LogManager"),
        List.of(WrappedWorkers.workerLogger("jboss-logmanager-"), WrappedWorkers.workerLogger("smallrye-common-constraint-"),
            WrappedWorkers.workerLogger("smallrye-common-net-"), WrappedWorkers.workerLogger("smallrye-common-os-"), WrappedWorkers.workerLogger("smallrye-common-ref-")), """
        import java.util.logging.Handler;
        import java.util.logging.Logger;
        import org.jboss.logmanager.Level;
        import org.jboss.logmanager.formatters.PatternFormatter;
        import org.jboss.logmanager.handlers.ConsoleHandler;

        public class Render {
          public static void main(String[] args) throws Exception {
            Logger root = Logger.getLogger("");
            for (Handler handler : root.getHandlers()) {
              root.removeHandler(handler);
            }
            // Quarkus's console format
            root.addHandler(new ConsoleHandler(ConsoleHandler.Target.SYSTEM_OUT,
                new PatternFormatter("%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c{3.}] (%t) %s%e%n")));
            Logger.getLogger("io.quarkus").info("render-worker 1.0.0 on JVM (powered by Quarkus 3.15.1) started in 1.234s.");
            Logger log = Logger.getLogger("com.example.render.RenderJob");
            log.log(Level.WARN, "VRAM nearly full");
            Thread worker = new Thread(() -> {
              try {
                render();
              } catch (RuntimeException e) {
                log.log(Level.ERROR, "Render failed", e);
              }
            }, "executor-thread-1");
            worker.start();
            worker.join();
            log.log(Level.ERROR, "Frame 3 failed", new IllegalStateException("decoder said no:\\n  bad header"));
            log.log(Level.INFO, "Render failed: no frames");
          }
        """ + RENDER + "}\n");

    // Before: "(main) VRAM nearly full", and the error's message "(executor-thread-1) Render
    // failed: java.lang.IllegalStateException: task 42 failed", its exception from the frame
    // below it on, which named its kind.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "render-worker 1.0.0 on JVM (powered by Quarkus 3.15.1) started in 1.234s."),
        tuple("WARNING", "VRAM nearly full"), tuple("ERROR", "Render failed"), tuple("ERROR", "Frame 3 failed"),
        tuple("INFO", "Render failed: no frames"));
    assertThat(records.get(0).metadataJson()).contains("\"logger\": \"io.quarkus\"", "\"thread\": \"main\"");
    StoredRecord error = records.get(2);
    assertThat(error.metadataJson()).contains("\"logger\": \"com.exa.ren.RenderJob\"", "\"thread\": \"executor-thread-1\"");
    assertThat(error.exception()).startsWith("java.lang.IllegalStateException: task 42 failed\n\tat Render.render(")
        .contains("\nCaused by: java.io.IOException: No space left on device\n");
    // an exception's message of two lines
    assertThat(records.get(3).exception()).startsWith("java.lang.IllegalStateException: decoder said no:\n  bad header\n\tat ");
  }

  @Test
  void dropwizardsFormatAndItsExceptionsDeepestCauseFirst() throws Exception {
    Files.writeString(folder.resolve("logback.xml"), """
        <configuration>
          <conversionRule conversionWord="rEx"
              class="io.dropwizard.logging.common.PrefixedRootCauseFirstThrowableProxyConverter"/>
          <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%-5p [%d{ISO8601,UTC}] %c: %m%n%rEx</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="CONSOLE"/></root>
        </configuration>
        """);
    List<StoredRecord> records = run("dropwizard", List.of(), List.of(WrappedWorkers.jarOf(org.slf4j.LoggerFactory.class),
        WrappedWorkers.jarOf(ch.qos.logback.classic.LoggerContext.class), WrappedWorkers.jarOf(ch.qos.logback.core.Context.class),
        WrappedWorkers.workerLogger("dropwizard-logging-"), folder), """
        public class Render {
          public static void main(String[] args) {
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("com.example.render.RenderJob");
            log.info("Rendering task 42");
            try {
              render();
            } catch (RuntimeException e) {
              log.error("Render failed", e);
            }
          }
        """ + RENDER + "}\n");

    // Before: "ERROR [2026-12-06 10:51:36,594] com.example.render.RenderJob: Render failed", the
    // exception's lines more of its message, each with its "! ".
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Rendering task 42"), tuple("ERROR", "Render failed"));
    StoredRecord error = records.get(1);
    assertThat(error.metadataJson()).contains("\"logger\": \"com.example.render.RenderJob\"");
    // a JVM's stack trace, the deepest cause first as Dropwizard prints it: the error's kind is named by it
    assertThat(error.exception()).startsWith("java.io.IOException: No space left on device\n\tat Render.render(")
        .contains("\nCausing: java.lang.IllegalStateException: task 42 failed\n\tat Render.render(")
        .doesNotContain("! ");
  }

  @Test
  void sparksFormatByLog4j2() throws Exception {
    List<StoredRecord> records = log4j2("spark", "%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex",
        "org.apache.spark.executor.Executor", "Running task 0.0 in stage 0.0 (TID 0)",
        "Exception in task 0.0 in stage 0.0 (TID 0)");

    // Before: "26/12/06 10:40:05 ERROR Executor: Exception in task 0.0 in stage 0.0 (TID 0)".
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Running task 0.0 in stage 0.0 (TID 0)"), tuple("ERROR", "Exception in task 0.0 in stage 0.0 (TID 0)"));
    assertThat(records).extracting(StoredRecord::metadataJson).allMatch(json -> json.contains("\"logger\": \"Executor\""));
    assertThat(records.get(1).exception()).startsWith("java.lang.IllegalStateException: task 42 failed\n\tat Render.render(");
  }

  @Test
  void kafkaConnectsFormatByLog4j2() throws Exception {
    // Kafka Connect's config/connect-log4j2.yaml's pattern, the connector's task in the context
    Files.writeString(folder.resolve("log4j2.properties"), """
        rootLogger.level = info
        rootLogger.appenderRef.stdout.ref = console
        appender.console.type = Console
        appender.console.name = console
        appender.console.layout.type = PatternLayout
        appender.console.layout.pattern = [%d] %p %X{connector.context}%m (%c:%L)%n
        """);
    String source = """
        public class Render {
          public static void main(String[] args) {
            org.apache.logging.log4j.ThreadContext.put("connector.context", "[s3-sink|task-0] ");
            org.apache.logging.log4j.LogManager.getLogger("org.apache.kafka.connect.runtime.WorkerSinkTask")
                .info("Sink task finished initialization and start (worker pool of 2)");
            try {
              render();
            } catch (RuntimeException e) {
              org.apache.logging.log4j.LogManager.getLogger("org.apache.kafka.connect.runtime.WorkerTask")
                  .error("WorkerSinkTask{id=s3-sink-0} Task threw an uncaught and unrecoverable exception", e);
            }
          }
        """ + RENDER + "}\n";
    List<StoredRecord> records = run("kafka-connect", List.of(), List.of(WrappedWorkers.workerLogger("log4j-api-"),
        WrappedWorkers.workerLogger("log4j-core-"), folder), source);

    // Before: "[s3-sink|task-0] Sink task ... (worker pool of 2) (org.apache.kafka.connect.runtime.WorkerSinkTask:5)".
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "[s3-sink|task-0] Sink task finished initialization and start (worker pool of 2)"),
        tuple("ERROR", "[s3-sink|task-0] WorkerSinkTask{id=s3-sink-0} Task threw an uncaught and unrecoverable exception"));
    List<String> lines = source.lines().toList();
    assertThat(records.get(0).metadataJson()).contains("\"logger\": \"org.apache.kafka.connect.runtime.WorkerSinkTask\"",
        "\"line\": " + (lines.indexOf("        .info(\"Sink task finished initialization and start (worker pool of 2)\");") + 1));
    assertThat(records.get(1).metadataJson()).contains("\"logger\": \"org.apache.kafka.connect.runtime.WorkerTask\"");
    assertThat(records.get(1).exception()).startsWith("java.lang.IllegalStateException: task 42 failed\n\tat Render.render(");
  }

  @Test
  void flinksAndHadoopsFormatsByLog4j2() throws Exception {
    // Flink's conf/log4j-console.properties' pattern
    String flink = "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n";
    List<StoredRecord> taskManager = log4j2("flink", flink, "org.apache.flink.runtime.taskmanager.Task", "Rendering task 42",
        "Source: frames -> Map (1/2)#0 switched from RUNNING to FAILED with failure cause:");
    // Before: "org.apache.flink.runtime.taskmanager.Task                    [] - Source: frames -> ...".
    assertThat(taskManager).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Rendering task 42"),
        tuple("ERROR", "Source: frames -> Map (1/2)#0 switched from RUNNING to FAILED with failure cause:"));
    assertThat(taskManager).extracting(StoredRecord::metadataJson)
        .allMatch(json -> json.contains("\"logger\": \"org.apache.flink.runtime.taskmanager.Task\""));
    assertThat(taskManager.get(1).exception()).startsWith("java.lang.IllegalStateException: task 42 failed\n\tat Render.render(");

    // Hadoop's console (conf/log4j.properties, "%d{ISO8601} %p %c{2}: %m%n", its ISO8601 Log4j 1's,
    // a space before the time of day), as its commands print on stderr
    List<StoredRecord> hadoop = log4j2("hadoop", "%d{yyyy-MM-dd HH:mm:ss,SSS} %p %c{2}: %m%n",
        "org.apache.hadoop.mapreduce.Job", "Rendering task 42",
        "Job job_1733480401123_0042 failed with state FAILED due to: Task failed");
    // Before: "mapreduce.Job: Job job_1733480401123_0042 failed with state FAILED due to: Task failed".
    assertThat(hadoop).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Rendering task 42"),
        tuple("ERROR", "Job job_1733480401123_0042 failed with state FAILED due to: Task failed"));
    assertThat(hadoop).extracting(StoredRecord::metadataJson)
        .allMatch(json -> json.contains("\"logger\": \"mapreduce.Job\""));
  }

  /** What a worker logs through Log4j2 in this pattern on stderr: an INFO, then an ERROR with an exception. */
  private List<StoredRecord> log4j2(String worker, String pattern, String logger, String info, String error)
      throws Exception {
    Files.writeString(folder.resolve("log4j2.properties"), """
        rootLogger.level = info
        rootLogger.appenderRef.stderr.ref = console
        appender.console.type = Console
        appender.console.name = console
        appender.console.target = SYSTEM_ERR
        appender.console.layout.type = PatternLayout
        appender.console.layout.pattern = %s
        """.formatted(pattern));
    return run(worker, List.of(), List.of(WrappedWorkers.workerLogger("log4j-api-"), WrappedWorkers.workerLogger("log4j-core-"),
        folder), """
        public class Render {
          public static void main(String[] args) {
            org.apache.logging.log4j.Logger log = org.apache.logging.log4j.LogManager.getLogger("%s");
            log.info("%s");
            try {
              render();
            } catch (RuntimeException e) {
              log.error("%s", e);
            }
          }
        """.formatted(logger, info, error) + RENDER + "}\n");
  }

  @Test
  void theOtherFormsOfTheseLinesAndLinesThatOnlyLookLikeThem() {
    ChildLineParser.Parsed uptime = parser.parse("26 [main] INFO com.example.render.Worker - Rendering task 42", Level.WARNING,
        "stderr");
    assertThat(uptime.message()).isEqualTo("Rendering task 42");
    assertThat(uptime.metadata()).containsEntry("uptime", "26ms").containsEntry("thread", "main");
    // showDateTime with a zone and levelInBrackets: the record's time is the line's
    ChildLineParser.Parsed dated = parser.parse("2026-12-06T10:44:54.323Z [main] [WARN] com.example.render.Worker - VRAM low",
        Level.WARNING, "stderr");
    assertThat(dated.level()).isEqualTo(Level.WARNING);
    assertThat(dated.message()).isEqualTo("VRAM low");
    assertThat(dated.time()).hasToString("2026-12-06T10:44:54.323Z");
    // WildFly's console: the time of day alone
    ChildLineParser.Parsed wildFly = parser.parse("10:40:01,123 ERROR [org.jboss.as.controller] (MSC service thread 1-2)"
        + " WFLYCTL0013: Operation failed", Level.INFO, "stdout");
    assertThat(wildFly.level()).isEqualTo(Level.ERROR);
    assertThat(wildFly.message()).isEqualTo("WFLYCTL0013: Operation failed");
    assertThat(wildFly.metadata()).containsEntry("thread", "MSC service thread 1-2");
    // java.util.logging's levels through JBoss LogManager, longer than five
    ChildLineParser.Parsed julWarning = parser.parse("2026-12-06 10:46:04,819 WARNING [com.exa.ren.RenderJob] (main) VRAM"
        + " nearly full", Level.INFO, "stdout");
    assertThat(julWarning.level()).isEqualTo(Level.WARNING);
    assertThat(julWarning.message()).isEqualTo("VRAM nearly full");
    assertThat(parser.parse("2026-12-06 10:46:04,822 SEVERE [com.exa.ren.RenderJob] (executor-thread-1) Render failed",
        Level.INFO, "stdout").metadata()).containsEntry("thread", "executor-thread-1");
    // Python's "%(asctime)s %(levelname)s [%(name)s] %(message)s": no JBoss level padded to five
    // columns, so the parentheses stay the message's
    ChildLineParser.Parsed python = parser.parse("2026-12-06 10:40:01,123 INFO [render] (3/10) frames done", Level.WARNING,
        "stderr");
    assertThat(python.message()).isEqualTo("(3/10) frames done");
    assertThat(python.metadata()).doesNotContainKey("thread");
    // Kafka's broker ("[%d] %p %m (%c)%n"): the logger without a line; a message's own closing
    // words in parentheses, no class's name in a package, stay its own
    ChildLineParser.Parsed broker = parser.parse("[2026-12-06 10:40:01,123] INFO [KafkaServer id=0] started"
        + " (kafka.server.KafkaServer)", Level.INFO, "stdout");
    assertThat(broker.message()).isEqualTo("[KafkaServer id=0] started");
    assertThat(broker.metadata()).containsEntry("logger", "kafka.server.KafkaServer").doesNotContainKey("line");
    ChildLineParser.Parsed own = parser.parse("[2026-12-06 10:40:01,123] WARN Render slow (frame 3 took 12.5 s)",
        Level.INFO, "stdout");
    assertThat(own.message()).isEqualTo("Render slow (frame 3 took 12.5 s)");
    assertThat(own.metadata()).doesNotContainKey("logger");
    assertThat(parser.parse("[2026-12-06 10:40:01,123] INFO Loaded (model.safetensors)", Level.INFO, "stdout")
        .message()).isEqualTo("Loaded (model.safetensors)");
    assertThat(parser.parse("[2026-12-06 10:40:01,123] INFO Saved (frame_0001.PNG)", Level.INFO, "stdout")
        .message()).isEqualTo("Saved (frame_0001.PNG)");
    assertThat(parser.parse("[2026-12-06 10:40:01,123] INFO Loaded (Render.java:42)", Level.INFO, "stdout")
        .message()).isEqualTo("Loaded (Render.java:42)");
    assertThat(parser.parse("[2026-12-06 10:40:01,123] WARN Cannot read the frame list (Map.Entry)", Level.INFO,
        "stdout").message()).isEqualTo("Cannot read the frame list (Map.Entry)");
    // a logger the line named before the message is the record's; a time without brackets is no Kafka's
    ChildLineParser.Parsed named = parser.parse("[2026-12-06 10:40:01,123] INFO [render] Retrying (com.example.Render)",
        Level.INFO, "stdout");
    assertThat(named.message()).isEqualTo("Retrying (com.example.Render)");
    assertThat(named.metadata()).containsEntry("logger", "render");
    // Hadoop's logger and a colon: a class's name in a package, not a message's first word
    ChildLineParser.Parsed distcp = parser.parse("2026-12-06 10:40:03,123 WARN util.NativeCodeLoader: Unable to load"
        + " native-hadoop library for your platform", Level.INFO, "stderr");
    assertThat(distcp.message()).isEqualTo("Unable to load native-hadoop library for your platform");
    assertThat(distcp.metadata()).containsEntry("logger", "util.NativeCodeLoader");
    assertThat(parser.parse("2026-12-06 10:40:03,123 ERROR config.yaml: no such file", Level.INFO, "stderr").message())
        .isEqualTo("config.yaml: no such file");
    assertThat(parser.parse("2026-12-06 10:40:03,123 ERROR render: no frames", Level.INFO, "stderr").message())
        .isEqualTo("render: no frames");
    assertThat(parser.parse("2026-12-06 10:40:03,123 ERROR java.io.IOException: disk full", Level.INFO, "stderr")
        .message()).isEqualTo("java.io.IOException: disk full");
    assertThat(parser.parse("2026-12-06 10:40:03,123 ERROR java.lang.OutOfMemoryError: Java heap space", Level.INFO,
        "stderr").message()).isEqualTo("java.lang.OutOfMemoryError: Java heap space");
    ChildLineParser.Parsed logged = parser.parse("2026-12-06 10:40:03,123 INFO [render] mapreduce.Job: done", Level.INFO,
        "stderr");
    assertThat(logged.message()).isEqualTo("mapreduce.Job: done");
    assertThat(logged.metadata()).containsEntry("logger", "render");
    // Flink's empty context before the dash, and a logger shorter than its padding's 60 columns
    ChildLineParser.Parsed flink = parser.parse("2026-12-06 10:40:01,123 INFO  o.a.f.r.t.TaskExecutor [] - Receive slot"
        + " request", Level.INFO, "stderr");
    assertThat(flink.message()).isEqualTo("Receive slot request");
    assertThat(flink.metadata()).containsEntry("logger", "o.a.f.r.t.TaskExecutor");
    assertThat(parser.parse("2026-12-06 10:40:01,123 INFO Retrying (com.example.Render)", Level.INFO, "stdout")
        .message()).isEqualTo("Retrying (com.example.Render)");

    // JBoss's exception after the message: from the first qualified class name on, not from an
    // error's name the message quotes
    String message = "Upload rejected: ValidationError: bad frame: java.io.IOException: 503";
    assertThat(message.substring(TracebackLines.appendedJvmException(message) + 2)).isEqualTo("java.io.IOException: 503");
    assertThat(TracebackLines.appendedJvmException("Render failed: no frames")).isEqualTo(-1);

    assertThat(JavaConsoleLines.unprefixed("! at com.example.Render.run(Render.java:42)"))
        .isEqualTo("\tat com.example.Render.run(Render.java:42)");
    assertThat(JavaConsoleLines.unprefixed("! ... 2 common frames omitted")).isEqualTo("\t... 2 common frames omitted");
    assertThat(JavaConsoleLines.unprefixed("! java.io.IOException: disk")).isEqualTo("java.io.IOException: disk");
    assertThat(JavaConsoleLines.unprefixed("! Causing: java.lang.IllegalStateException: x"))
        .isEqualTo("Causing: java.lang.IllegalStateException: x");
    // git's refusal and a shell's negation are no exception's lines
    assertThat(JavaConsoleLines.unprefixed("! [rejected]        main -> main (fetch first)"))
        .isEqualTo("! [rejected]        main -> main (fetch first)");
    assertThat(JavaConsoleLines.unprefixed("! Error: not found")).isEqualTo("! Error: not found");
  }

  private List<StoredRecord> run(String worker, List<String> jvmOptions, List<Path> classPath, String source)
      throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path program = Files.writeString(folder.resolve("Render.java"), source);
    List<String> command = Stream.of(Stream.of(JAVA), jvmOptions.stream(),
            Stream.of("-cp", classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                program.toString()))
        .flatMap(s -> s).toList();
    Cli.Result result = WrappedWorkers.heartlogRun(folder, worker, url, List.of(), command.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.err()).isZero();
    return WrappedWorkers.records(store, worker);
  }
}
