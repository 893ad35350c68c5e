package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log4j 2's reports of itself ({@link Log4jStatusLines}), printed by Log4j 2.25.2 (copied to
 * target/worker-loggers by the build) in a worker's JVM whose log4j2.xml names heartlog's
 * appender with a letter missing, and by its API alone, which finds no implementation.
 */
class Log4jStatusLinesTest {

  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path folder;

  @Test
  void aLog4jConfigurationsErrorsAndAnApiWithoutItsImplementation() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Files.writeString(folder.resolve("log4j2.xml"), """
        <Configuration>
          <Appenders>
            <Heartlg name="HEARTLOG"/>
          </Appenders>
          <Loggers>
            <Root level="info"><AppenderRef ref="HEARTLOG"/></Root>
          </Loggers>
        </Configuration>
        """);
    Path program = Files.writeString(folder.resolve("Render.java"), """
        public class Render {
          public static void main(String[] args) {
            org.apache.logging.log4j.LogManager.getLogger("render").info("frame 1");
            System.out.println("rendered");
          }
        }
        """);
    String api = WrappedWorkers.workerLogger("log4j-api-").toString();
    String core = WrappedWorkers.workerLogger("log4j-core-").toString();
    Instant started = Instant.now();

    // The first JVM's stderr, Log4j's reports, copied to a file on its way to heartlog run's
    Path printed = folder.resolve("log4j.err");
    Cli.Result result = WrappedWorkers.heartlogRun(folder, "log4j-status", url, List.of(), "sh", "-c",
        "{ " + JAVA + " -cp " + String.join(File.pathSeparator, api, core, folder.toString()) + " " + program
            + " 2>&1 >&3 3>&- | tee " + printed + " >&2; } 3>&1 && " + JAVA + " -cp " + api + " " + program);

    assertThat(result.exitCode()).as(result.err()).isZero();
    // Once in about 1,000 runs Log4j's first report has a time to the microsecond, which is read
    // as any line before a report of nine digits (the test below); this test is of the nine's.
    Assumptions.assumeTrue(Files.readAllLines(printed).get(0).charAt(29) == 'Z', "the first report's nine digits");
    List<StoredRecord> records = WrappedWorkers.records(store, "log4j-status");
    List<StoredRecord> reports = records.stream().filter(r -> r.metadataJson().contains("\"component\": \"log4j\"")).toList();
    String all = records.stream().map(r -> r.level() + " " + r.message() + " " + r.metadataJson()).toList().toString();
    // Before: "2026-12-06T11:37:26.998161290Z main ERROR Appenders contains ...", whole.
    // The API's report is of another JVM, after the first's, and so is read as Log4j's even where
    // its time is to the microsecond (2026-12-06T13:39:14.239243Z: once in 40 runs of this test,
    // when only reports of nine digits were read)
    assertThat(reports).as(all).extracting(StoredRecord::level, StoredRecord::message).contains(
        tuple("ERROR", "Appenders contains an invalid element or attribute \"Heartlg\""),
        tuple("ERROR", "Unable to locate appender \"HEARTLOG\" for logger config \"root\""),
        tuple("ERROR", "Log4j API could not find a logging provider."));
    assertThat(reports).allSatisfy(report -> {
      assertThat(report.metadataJson()).contains("\"thread\": \"main\"");
      assertThat(report.timestamp()).isAfter(started).isBefore(report.receivedAt().plusSeconds(1));
    });
    assertThat(records).extracting(StoredRecord::message).contains("rendered");
  }

  @Test
  void theStatusLoggersLineWithoutATimeAndLinesThatOnlyLookLikeIts() {
    ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);
    // the line's time is the record's, where the record had the time the line came
    ChildLineParser.Parsed timed = parser.parse("2026-12-06T11:37:26.998161290Z main ERROR Unable to locate appender"
        + " \"HEARTLOG\" for logger config \"root\"", Level.WARNING, "stderr");
    assertThat(timed.time()).isEqualTo(Instant.parse("2026-12-06T11:37:26.998161290Z"));
    assertThat(timed.message()).startsWith("Unable to locate appender");
    ChildLineParser.Parsed noConfiguration = parser.parse("ERROR StatusLogger No Log4j 2 configuration file found. Using"
        + " default configuration (logging only errors to the console)", Level.WARNING, "stderr");
    assertThat(noConfiguration.level()).isEqualTo(Level.ERROR);
    assertThat(noConfiguration.message()).startsWith("No Log4j 2 configuration file found.");
    assertThat(noConfiguration.metadata()).containsEntry("component", "log4j");
    ChildLineParser.Parsed warn = parser.parse("WARN StatusLogger Multiple logging implementations found:", Level.WARNING,
        "stderr");
    assertThat(warn.level()).isEqualTo(Level.WARNING);
    assertThat(warn.message()).isEqualTo("Multiple logging implementations found:");

    // Before 2.24: a report's thread where Python's %(asctime)s %(name)s %(levelname)s puts a
    // logger's name, which reads it so
    ChildLineParser.Parsed older = parser.parse("2026-12-06 10:40:01,123 main ERROR Unable to locate appender"
        + " \"HEARTLOG\" for logger config \"root\"", Level.WARNING, "stderr");
    assertThat(older.level()).isEqualTo(Level.ERROR);
    assertThat(older.message()).startsWith("Unable to locate appender");
    assertThat(older.metadata()).containsEntry("logger", "main").doesNotContainEntry("component", "log4j");

    // Rust's tracing, its level padded (which its own reader, before this one, takes)
    assertThat(new Log4jStatusLines().parse("2026-12-06T11:37:26.998161290Z  INFO render: frame 3 ERROR count 0",
        new RecordMetadata(4), message -> false)).isNull();
  }

  @Test
  void aTimeWithFewerDigitsIsLog4jsOnlyAfterAReportOfNine() {
    // a time to the microsecond, a host and a level, from a worker that printed no report of Log4j's
    ChildLineParser.Parsed host = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END)
        .parse("2026-12-06T11:37:26.998161Z gpu-7 ERROR frame 3 failed", Level.WARNING, "stderr");
    assertThat(host.metadata()).doesNotContainEntry("component", "log4j").doesNotContainKey("thread");

    Log4jStatusLines log4j = new Log4jStatusLines();
    assertThat(log4j.parse("2026-12-06T13:39:14.239243Z main ERROR Log4j API could not find a logging provider.",
        new RecordMetadata(4), message -> false)).isNull();
    assertThat(log4j.parse("2026-12-06T13:39:14.001Z main INFO Starting configuration",
        new RecordMetadata(4), message -> false)).isNull();
    assertThat(log4j.parse("2026-12-06T13:39:13.998161290Z main ERROR Unable to locate appender \"HEARTLOG\"",
        new RecordMetadata(4), message -> false).message()).isEqualTo("Unable to locate appender \"HEARTLOG\"");
    // after it, Log4j's ISO_INSTANT times of six, three and no digits after the second
    ChildLineParser.Parsed micro = log4j.parse("2026-12-06T13:39:14.239243Z main ERROR Log4j API could not find a"
        + " logging provider.", new RecordMetadata(4), message -> false);
    assertThat(micro.time()).isEqualTo(Instant.parse("2026-12-06T13:39:14.239243Z"));
    assertThat(micro.message()).isEqualTo("Log4j API could not find a logging provider.");
    assertThat(micro.metadata()).containsEntry("thread", "main").containsEntry("component", "log4j");
    assertThat(log4j.parse("2026-12-06T13:39:14.001Z Log4j2-TF-1 WARN Shutdown hook already ran",
        new RecordMetadata(4), message -> false)).extracting(ChildLineParser.Parsed::time, ChildLineParser.Parsed::level)
        .containsExactly(Instant.parse("2026-12-06T13:39:14.001Z"), Level.WARNING);
    assertThat(log4j.parse("2026-12-06T13:39:15Z main DEBUG Stopped", new RecordMetadata(4), message -> false).time())
        .isEqualTo(Instant.parse("2026-12-06T13:39:15Z"));
    // a time of three digits whose thread has a Z where the nine's would be, before any report
    assertThat(new Log4jStatusLines().parse("2026-12-06T13:39:14.001Z testZ ERROR x", new RecordMetadata(4),
        message -> false)).isNull();
  }
}
