package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM's own log lines, its unified logging ({@code -Xlog}), read by {@link
 * JvmUnifiedLogLines}: the lines below are as OpenJDK 17 printed them here.
 */
class JvmUnifiedLogLinesTest {

  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aLineOfTheJvmsHasItsLevelItsTagsAsComponentItsTimeAndItsUptime() {
    // The warning the JVM prints untold, on stdout, where it was INFO with its brackets.
    ChildLineParser.Parsed warning = parser.parse(
        "[0.001s][warning][pagesize] UseLargePages disabled, no large pages configured and available on the system.",
        Level.INFO, "stdout");
    assertThat(warning.level()).isEqualTo(Level.WARNING);
    assertThat(warning.message()).isEqualTo("UseLargePages disabled, no large pages configured and available on the system.");
    assertThat(warning.metadata()).containsEntry("component", "jvm.pagesize").containsEntry("uptime", "0.001s");
    assertThat(warning.time()).isNull();

    // -Xlog:gc+heap=debug:stdout:utctime,pid,tid,level,tags, beside another -Xlog on stdout: padded.
    ChildLineParser.Parsed padded = parser.parse("[2026-12-06T08:50:25.567+0000][31685][31695][debug  ][gc,heap     ]"
        + " GC(22) Heap before GC invocations=22 (full 0):", Level.INFO, "stdout");
    assertThat(padded.level()).isEqualTo(Level.DEBUG);
    assertThat(padded.message()).isEqualTo("GC(22) Heap before GC invocations=22 (full 0):");
    assertThat(padded.time()).isEqualTo(Instant.parse("2026-12-06T08:50:25.567Z"));
    assertThat(padded.metadata()).containsEntry("component", "jvm.gc.heap").containsEntry("decorations", "31685 31695")
        .doesNotContainKey("uptime");

    // timemillis, uptimemillis and no tags; an error
    ChildLineParser.Parsed millis = parser.parse("[1765011025567ms][39ms][error] Failed to reserve memory", Level.INFO, "stdout");
    assertThat(millis.level()).isEqualTo(Level.ERROR);
    assertThat(millis.message()).isEqualTo("Failed to reserve memory");
    assertThat(millis.time()).isEqualTo(Instant.ofEpochMilli(1_765_011_025_567L));
    assertThat(millis.metadata()).containsEntry("uptime", "39ms").doesNotContainKey("component");
  }

  @Test
  void aBracketedLevelWithNeitherTheJvmsTagsNorItsTimesIsAnothersLine() {
    // sbt's: read as a level first, as before, and no JVM's
    ChildLineParser.Parsed sbt = parser.parse("[info] Compiling 3 Scala sources to /app/target", Level.WARNING, "stderr");
    assertThat(sbt.level()).isEqualTo(Level.INFO);
    assertThat(sbt.metadata()).doesNotContainKeys("component", "uptime");
    ChildLineParser.Parsed threadFirst = parser.parse("[worker-3][info] claimed t-42", Level.WARNING, "stderr");
    assertThat(threadFirst.metadata()).doesNotContainKeys("decorations", "component");
    ChildLineParser.Parsed notTags = parser.parse("[0.001s][info][Render Queue] claimed t-42", Level.WARNING, "stderr");
    assertThat(notTags.message()).isEqualTo("[0.001s][info][Render Queue] claimed t-42");
  }

  @Test
  void aJavaWorkersGcLogIsReadAsTheJvmWroteIt() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path program = Files.writeString(folder.resolve("Frames.java"), """
        public class Frames {
          public static void main(String[] args) {
            System.out.println("rendering frames");
            System.gc();
          }
        }
        """);

    Instant before = Instant.now().minusSeconds(1);
    Cli.Result result = WrappedWorkers.heartlogRun(folder, "jvm-xlog", url, List.of(), JAVA, "-XX:+UseG1GC",
        "-Xlog:gc:stdout", "-Xlog:gc+init:stdout:time,uptime,pid,tid,level,tags", program.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = WrappedWorkers.records(store, "jvm-xlog");
    assertThat(records).extracting(StoredRecord::message).contains("rendering frames", "Using G1")
        .anyMatch(message -> message.startsWith("GC(0) Pause Full (System.gc()) "))
        .noneMatch(message -> message.startsWith("["));
    StoredRecord using = records.stream().filter(r -> r.message().equals("Using G1")).findFirst().orElseThrow();
    assertThat(using.level()).isEqualTo("INFO");
    assertThat(using.metadataJson()).contains("\"component\": \"jvm.gc\"").containsPattern("\"uptime\": \"\\d+\\.\\d+s\"");
    StoredRecord init = records.stream().filter(r -> r.message().startsWith("Version: ")).findFirst().orElseThrow();
    assertThat(init.metadataJson()).contains("\"component\": \"jvm.gc.init\"").containsPattern("\"decorations\": \"\\d+ \\d+\"");
    assertThat(init.timestamp()).isBetween(before, Instant.now());
  }
}
