package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logback's reports of itself ({@link LogbackStatusLines}), printed by the Logback the tests run
 * where a worker's logback.xml names heartlog's appender with a letter missing.
 */
class LogbackStatusLinesTest {

  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path folder;

  @Test
  void aLogbackConfigurationsErrorIsAnErrorWithItsExceptionAndItsOtherReportsAreTheirLevels() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Files.writeString(folder.resolve("logback.xml"), """
        <configuration>
          <appender name="HEARTLOG" class="dev.heartlog.logback.HeartlogAppendr"/>
          <root level="INFO"><appender-ref ref="HEARTLOG"/></root>
        </configuration>
        """);
    Path program = Files.writeString(folder.resolve("Render.java"), """
        public class Render {
          public static void main(String[] args) {
            org.slf4j.LoggerFactory.getLogger("render").info("frame 1");
            System.out.println("rendered");
          }
        }
        """);
    String classPath = Stream.of(ch.qos.logback.classic.LoggerContext.class, ch.qos.logback.core.Context.class,
            org.slf4j.LoggerFactory.class)
        .map(type -> WrappedWorkers.jarOf(type).toString())
        .collect(Collectors.joining(java.io.File.pathSeparator)) + java.io.File.pathSeparator + folder;

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "logback-status", url, List.of(), JAVA, "-cp", classPath,
        program.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = WrappedWorkers.records(store, "logback-status");
    List<StoredRecord> errors = records.stream().filter(r -> r.level().equals("ERROR")).toList();
    assertThat(errors).isNotEmpty().allSatisfy(error -> {
      assertThat(error.message()).doesNotContain("|-ERROR in ");
      assertThat(error.metadataJson()).contains("\"component\": \"logback\"", "\"origin\": \"ch.qos.logback.");
    });
    StoredRecord notCreated = errors.stream().filter(r -> r.message().startsWith("Could not create an Appender of type"
        + " [dev.heartlog.logback.HeartlogAppendr]")).findFirst().orElseThrow();
    // Its exception below it, with Logback's "\tat " before each line taken off: a JVM's stack
    // trace, where each line was a record of its own.
    assertThat(notCreated.exception())
        .startsWith("ch.qos.logback.core.util.DynamicClassLoadingException: Failed to instantiate type"
            + " dev.heartlog.logback.HeartlogAppendr\n\tat ch.qos.logback.core.util.OptionHelper.")
        .contains("\nCaused by: java.lang.ClassNotFoundException: dev.heartlog.logback.HeartlogAppendr\n")
        .doesNotContain("\tat \t");
    assertThat(records).extracting(StoredRecord::message)
        .noneMatch(message -> message.startsWith("\tat") || message.startsWith("Caused by") || message.contains(" |-"))
        .contains("rendered");
    assertThat(records).filteredOn(r -> r.message().startsWith("Found resource [logback.xml]"))
        .extracting(StoredRecord::level).containsExactly("INFO");
  }

  @Test
  void aReportsLevelsAndTheLinesOfItsExceptionWithoutTheirPrefix() {
    ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);
    ChildLineParser.Parsed warn = parser.parse("09:28:02,421 |-WARN in ch.qos.logback.classic.LoggerContext[default] -"
        + " Resource [logback.xml] occurs multiple times on the classpath.", Level.INFO, "stdout");
    assertThat(warn.level()).isEqualTo(Level.WARNING);
    assertThat(warn.message()).isEqualTo("Resource [logback.xml] occurs multiple times on the classpath.");
    assertThat(warn.metadata()).containsEntry("origin", "ch.qos.logback.classic.LoggerContext[default]");

    assertThat(LogbackStatusLines.unprefixed("\tat \tat ch.qos.logback.core.util.OptionHelper.instantiateByClassName("
        + "OptionHelper.java:44)")).isEqualTo("\tat ch.qos.logback.core.util.OptionHelper.instantiateByClassName("
        + "OptionHelper.java:44)");
    assertThat(LogbackStatusLines.unprefixed("\tat \t... 31 common frames omitted")).isEqualTo("\t... 31 common frames omitted");
    assertThat(LogbackStatusLines.unprefixed("\tat ch.qos.logback.core.joran.spi.JoranException: Problem parsing XML"))
        .isEqualTo("ch.qos.logback.core.joran.spi.JoranException: Problem parsing XML");
    // a JVM's own frame stays one
    assertThat(LogbackStatusLines.unprefixed("\tat com.example.Render.main(Render.java:4)"))
        .isEqualTo("\tat com.example.Render.main(Render.java:4)");
  }
}
