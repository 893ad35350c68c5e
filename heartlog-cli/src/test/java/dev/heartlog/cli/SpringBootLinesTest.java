package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spring Boot application's console, as {@link ChildLineParser} reads it and heartlog run
 * stores it. The lines are what a Spring Boot 3.5.7 application (spring-boot-starter, its
 * defaults, {@code spring.application.name=render}) printed logging INFO, WARN and an ERROR with
 * an exception, on Java 17.
 */
class SpringBootLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.INFO, "stdout");
  }

  @Test
  void aLineGivesItsLevelLoggerThreadProcessAndApplicationAndItsTimeWhereItHasAZone() {
    ChildLineParser.Parsed warning = parse("2026-12-03T13:07:20.939Z  WARN 16699 --- [render] [           main] "
        + "com.example.render.RenderApp             : VRAM at 95%");
    assertThat(warning.level()).isEqualTo(Level.WARNING);
    assertThat(warning.message()).isEqualTo("VRAM at 95%");
    assertThat(warning.time()).isEqualTo(Instant.parse("2026-12-03T13:07:20.939Z"));
    assertThat(warning.metadata()).containsEntry("logger", "com.example.render.RenderApp").containsEntry("thread", "main")
        .containsEntry("pid", 16699L).containsEntry("application", "render");
    ChildLineParser.Parsed boot2 = parse("2026-12-03 13:07:20.939 ERROR 16699 --- [worker-1] c.e.render.Uploader : upload failed");
    assertThat(boot2.level()).isEqualTo(Level.ERROR);
    assertThat(boot2.message()).isEqualTo("upload failed");
    assertThat(boot2.time()).as("Spring Boot 2's time has no zone: the time the line came").isNull();
    assertThat(boot2.metadata()).doesNotContainKey("application");
  }

  @Test
  void anApplicationsRecordsAreStoredWithoutTheirPrefixAndItsLoggedExceptionJoinsItsError() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "spring-boot-3.5.7.txt", "spring-boot-replayed");

    // Before, each message began with "16699 --- [render] [           main] com.example...  : ", and
    // each frame of the stack trace, which Spring Boot prints after a blank line and with the jar
    // after it, was an INFO record of its own. (The banner has no time of its own: replayed now,
    // it comes after the lines that carry theirs.)
    assertThat(records).filteredOn(record -> record.message().contains(":: Spring Boot ::")).as("the banner, one record")
        .singleElement().satisfies(banner -> assertThat(banner.message()).startsWith("  .   ____"));
    List<StoredRecord> logged = records.stream().filter(record -> !record.message().contains(":: Spring Boot ::")).toList();
    assertThat(logged).extracting(StoredRecord::level).containsExactly("INFO", "INFO", "INFO", "INFO", "WARNING", "ERROR");
    assertThat(logged).extracting(StoredRecord::message).satisfiesExactly(
        starting -> assertThat(starting).startsWith("Starting RenderApp v1 using Java 17"),
        profile -> assertThat(profile).startsWith("No active profile set"),
        started -> assertThat(started).startsWith("Started RenderApp in "),
        rendering -> assertThat(rendering).isEqualTo("rendering shot 12"),
        warning -> assertThat(warning).isEqualTo("VRAM at 95%"),
        error -> assertThat(error).isEqualTo("upload failed"));
    assertThat(logged.get(5).exception()).startsWith("java.io.IOException: 503 Service Unavailable\n"
        + "\tat com.example.render.RenderApp.run(RenderApp.java:22) ~[!/:1]\n").contains("~[spring-boot-3.5.7.jar!/:3.5.7]")
        .endsWith("at org.springframework.boot.loader.launch.JarLauncher.main(JarLauncher.java:40) ~[render-1.jar:1]");
  }

  /**
   * Spring Boot's report of an application that failed to start: LoggingFailureAnalysisReporter
   * logs an ERROR whose message begins with a line end, so nothing follows the logger's colon but
   * a space, and the report comes on the lines below (written here as Spring Boot formats it, with
   * its description and action of a port in use). Before, the line, its last space trimmed, was
   * not read as Spring Boot's: the record's message began "4242 --- [render] ...", and that line
   * named its kind.
   */
  @Test
  void aReportOfAnApplicationThatFailedToStartIsOneErrorOfItsLogger() throws Exception {
    ChildLineParser.Parsed trimmed = parse("2026-12-06T01:30:01.480Z ERROR 4242 --- [render] [           main] "
        + "o.s.b.d.LoggingFailureAnalysisReporter   :");
    assertThat(trimmed.level()).isEqualTo(Level.ERROR);
    assertThat(trimmed.message()).isEmpty();
    assertThat(trimmed.metadata()).containsEntry("logger", "o.s.b.d.LoggingFailureAnalysisReporter");

    List<StoredRecord> records = WrappedWorkers.replayed(folder, "spring-boot-failed-to-start.txt", "spring-boot-failed");

    assertThat(records).extracting(StoredRecord::level).containsExactly("INFO", "ERROR");
    assertThat(records.get(1).message()).startsWith("***************************\nAPPLICATION FAILED TO START\n")
        .contains("\nWeb server failed to start. Port 8080 was already in use.\n")
        .endsWith("or configure this application to listen on another port.");
    assertThat(records.get(1).metadataJson()).contains("\"logger\": \"o.s.b.d.LoggingFailureAnalysisReporter\"");
  }
}
