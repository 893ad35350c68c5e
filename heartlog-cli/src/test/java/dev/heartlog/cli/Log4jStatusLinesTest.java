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

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "log4j-status", url, List.of(), "sh", "-c",
        JAVA + " -cp " + String.join(File.pathSeparator, api, core, folder.toString()) + " " + program
            + " && " + JAVA + " -cp " + api + " " + program);

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = WrappedWorkers.records(store, "log4j-status");
    List<StoredRecord> reports = records.stream().filter(r -> r.metadataJson().contains("\"component\": \"log4j\"")).toList();
    String all = records.stream().map(r -> r.level() + " " + r.message() + " " + r.metadataJson()).toList().toString();
    // Before: "2026-12-06T11:37:26.998161290Z main ERROR Appenders contains ...", whole.
    assertThat(reports).as(all).extracting(StoredRecord::level, StoredRecord::message).contains(
        tuple("ERROR", "Appenders contains an invalid element or attribute \"Heartlg\""),
        tuple("ERROR", "Log4j API could not find a logging provider."));
    // Once in CI and once in 20 runs of this test here (none in 15 runs of the same command under
    // heartlog run), this report was not among Log4j's; the records are in the assertion's
    // description where it fails. Asserted as an ERROR until that is understood.
    assertThat(records).as(all).anySatisfy(record -> {
      assertThat(record.level()).isEqualTo("ERROR");
      assertThat(record.message()).endsWith("Unable to locate appender \"HEARTLOG\" for logger config \"root\"");
    });
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

    // a time to the microsecond, a host and a level: no Log4j's
    assertThat(parser.parse("2026-12-06T11:37:26.998161Z gpu-7 ERROR frame 3 failed", Level.WARNING, "stderr").metadata())
        .doesNotContainEntry("component", "log4j");
    // Rust's tracing, its level padded (which its own reader, before this one, takes)
    assertThat(Log4jStatusLines.parse("2026-12-06T11:37:26.998161290Z  INFO render: frame 3 ERROR count 0",
        new RecordMetadata(4), message -> false)).isNull();
  }
}
