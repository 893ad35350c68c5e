package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Java worker's JVM and SLF4J print of their own ({@link JavaNoticeLines}), printed by the
 * JDK 17 that runs the tests and the SLF4J 2 on their class path.
 */
class JavaNoticeLinesTest {

  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aJavaWorkersJvmAndSlf4jSayWhatTheyMean() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path slf4j = WrappedWorkers.jarOf(org.slf4j.LoggerFactory.class);
    Path program = Files.writeString(folder.resolve("Render.java"), """
        public class Render {
          public static void main(String[] args) {
            org.slf4j.LoggerFactory.getLogger("render").info("frame 1");   // no provider: SLF4J says so
            System.out.println("rendered");
          }
        }
        """);

    // a container's JAVA_TOOL_OPTIONS, and an option the JVM warns of
    Cli.Result result = WrappedWorkers.heartlogRun(folder, "java-notices", url, List.of(), "env",
        "JAVA_TOOL_OPTIONS=-Xmx256m", JAVA, "-Xverify:none", "-cp", slf4j.toString(), program.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = WrappedWorkers.records(store, "java-notices");
    // Before: a warning, INFO (on stdout) and three warnings, each with its prefix.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).contains(
        tuple("INFO", "Picked up JAVA_TOOL_OPTIONS: -Xmx256m"),
        tuple("WARNING", "Options -Xverify:none and -noverify were deprecated in JDK 13 and will likely be removed in a"
            + " future release."),
        tuple("WARNING", "No SLF4J providers were found."),
        tuple("INFO", "rendered"));
    assertThat(records).filteredOn(r -> r.message().startsWith("Picked up") || r.message().startsWith("Options"))
        .extracting(StoredRecord::metadataJson).allMatch(json -> json.contains("\"component\": \"jvm\""));
    assertThat(records).filteredOn(r -> r.message().startsWith("No SLF4J"))
        .extracting(StoredRecord::metadataJson).allMatch(json -> json.contains("\"component\": \"slf4j\""));
  }

  @Test
  void aHeapDumpOnOutOfMemoryAndOneThatCouldNotBeWritten() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path program = Files.writeString(folder.resolve("Render.java"), """
        public class Render {
          public static void main(String[] args) {
            java.util.List<byte[]> frames = new java.util.ArrayList<>();
            try {
              while (true) {
                frames.add(new byte[1 << 20]);
              }
            } catch (OutOfMemoryError e) {
              frames = null;
              e.printStackTrace(System.out);
            }
            System.out.println("recovered");
          }
        }
        """);
    String dump = folder.resolve("render.hprof").toString();
    String java = JAVA + " -Xmx32m -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=" + dump + " " + program;
    // twice: the second finds the first's file, as a container's JVM given a fixed file name does
    // after a restart
    Cli.Result result = WrappedWorkers.heartlogRun(folder, "java-heap-dump", url, List.of(), "sh", "-c",
        java + " && " + java);

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = WrappedWorkers.records(store, "java-heap-dump");
    // Before: the JVM's three lines INFO records; and where the dump was not written, the worker's
    // stack trace came right after them, and they were its exception's message, one ERROR.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("WARNING", "java.lang.OutOfMemoryError: Java heap space"),
        tuple("INFO", "Dumping heap to " + dump + " ..."),
        tuple("INFO", records.get(2).message()),
        tuple("ERROR", "java.lang.OutOfMemoryError: Java heap space"),
        tuple("INFO", "recovered"),
        tuple("WARNING", "java.lang.OutOfMemoryError: Java heap space"),
        tuple("INFO", "Dumping heap to " + dump + " ..."),
        tuple("WARNING", "Unable to create " + dump + ": File exists"),
        tuple("ERROR", "java.lang.OutOfMemoryError: Java heap space"),
        tuple("INFO", "recovered"));
    assertThat(records.get(1).metadataJson()).contains("\"heap_dump\": \"" + dump + "\"", "\"component\": \"jvm\"");
    assertThat(records.get(2).message()).startsWith("Heap dump file created [");
    assertThat(records.get(2).metadataJson()).contains("\"heap_dump_bytes\": " + Files.size(Path.of(dump)));
    assertThat(records.get(3).exception()).startsWith("java.lang.OutOfMemoryError: Java heap space\n\tat Render.main(")
        .doesNotContain("Dumping heap");
    // the worker's stack trace right after the warning is not the warning's
    assertThat(records.get(7).exception()).isNull();
    assertThat(records.get(8).exception()).startsWith("java.lang.OutOfMemoryError: Java heap space\n\tat Render.main(");
    assertThat(records.get(7).metadataJson()).contains("\"heap_dump\": \"" + dump + "\"", "\"component\": \"jvm\"");
    assertThat(records.get(0).metadataJson()).doesNotContain("component");
  }

  @Test
  void slf4jsLevelsTheLaunchersNoteAndOtherJvmsWarnings() {
    assertThat(List.of("SLF4J(D): a", "SLF4J(I): a", "SLF4J(W): a", "SLF4J(E): a"))
        .extracting(line -> parser.parse(line, Level.WARNING, "stderr").level())
        .containsExactly(Level.DEBUG, Level.INFO, Level.WARNING, Level.ERROR);
    ChildLineParser.Parsed note = parser.parse("NOTE: Picked up JDK_JAVA_OPTIONS: --add-opens=java.base/java.lang=ALL-UNNAMED",
        Level.WARNING, "stderr");
    assertThat(note.level()).isEqualTo(Level.INFO);
    assertThat(note.message()).isEqualTo("NOTE: Picked up JDK_JAVA_OPTIONS: --add-opens=java.base/java.lang=ALL-UNNAMED");
    ChildLineParser.Parsed hotspot = parser.parse("Java HotSpot(TM) 64-Bit Server VM warning: Sharing is only supported for"
        + " boot loader classes because bootstrap classpath has been appended", Level.INFO, "stdout");
    assertThat(hotspot.level()).isEqualTo(Level.WARNING);
    assertThat(hotspot.message()).startsWith("Sharing is only supported");
    // SLF4J 1 names no level; a line that only begins so is none of these
    assertThat(parser.parse("SLF4J: Class path contains multiple SLF4J bindings.", Level.WARNING, "stderr").metadata())
        .doesNotContainKey("component");
    assertThat(parser.parse("Picked up the frames from /data", Level.WARNING, "stderr").level()).isEqualTo(Level.WARNING);
  }
}
