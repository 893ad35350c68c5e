package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HotSpot's dump of its threads' stacks, which a JVM prints on stdout when sent SIGQUIT ({@code
 * kill -3}, as one asks a hung worker what it is doing), printed by the JDK 17 that runs the
 * tests: a worker that sends itself the signal.
 */
class JvmThreadDumpTest {

  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  /** Sends the worker's own JVM SIGQUIT and gives it the time to print its dump. */
  private static final String DUMP = """
        static void dump() throws Exception {
          new ProcessBuilder("kill", "-QUIT", Long.toString(ProcessHandle.current().pid())).start().waitFor();
          Thread.sleep(500);
        }
      """;

  private static final Pattern THREADS = Pattern.compile("\"threads\": (\\d+)");

  @TempDir Path folder;

  @Test
  void aDumpIsOneRecordAndADumpThatFoundADeadlockAnError() throws Exception {
    List<StoredRecord> records = run("thread-dumps", """
        public class Render {
          static final Object FRAMES = new Object(), UPLOADS = new Object();
          public static void main(String[] args) throws Exception {
            System.out.println("rendering task 42");
            dump();
            System.out.println("between the dumps");
            locking("render-1", FRAMES, UPLOADS).start();
            locking("upload-1", UPLOADS, FRAMES).start();
            Thread.sleep(300);
            dump();
            System.out.println("after the dumps");
          }
          static Thread locking(String name, Object first, Object second) {
            Thread thread = new Thread(() -> {
              synchronized (first) {
                try { Thread.sleep(100); } catch (InterruptedException e) { return; }
                synchronized (second) { System.out.println("never"); }
              }
            }, name);
            thread.setDaemon(true);
            return thread;
          }
        """ + DUMP + "}\n");

    // Before: 45 INFO records a dump, one a thread's header and its state, one its frames, one a
    // "- locked" line, ... The line of the time HotSpot prints above the dump stays a record.
    List<String> messages = records.stream().map(StoredRecord::message).toList();
    assertThat(messages).hasSize(7);
    assertThat(messages.get(0)).isEqualTo("rendering task 42");
    assertThat(messages.get(1)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    assertThat(messages.get(3)).isEqualTo("between the dumps");
    assertThat(messages.get(6)).isEqualTo("after the dumps");

    StoredRecord dump = records.get(2);
    assertThat(dump.level()).isEqualTo("INFO");
    assertThat(dump.message()).startsWith("Full thread dump OpenJDK").endsWith("):");
    assertThat(dump.exception()).startsWith(dump.message() + "\n")
        .contains("\n\"main\" #1 ", "\tat Render.dump(Render.java:", "\nJNI global refs: ", "\nHeap\n")
        .doesNotContain("deadlock");
    assertThat(threads(dump)).isEqualTo(headers(dump.exception())).isGreaterThan(5);
    assertThat(dump.metadataJson()).doesNotContain("deadlocks");

    // the threads that wait on each other for ever: an error, which heartlog errors lists
    StoredRecord deadlocked = records.get(5);
    assertThat(deadlocked.level()).isEqualTo("ERROR");
    assertThat(deadlocked.message()).startsWith("Full thread dump OpenJDK").endsWith("): Found 1 deadlock.");
    assertThat(deadlocked.metadataJson()).contains("\"deadlocks\": 1");
    assertThat(deadlocked.exception()).contains("\nFound one Java-level deadlock:\n=============================\n",
        "\n\"render-1\":\n  waiting to lock monitor ", "which is held by \"upload-1\"",
        "\nJava stack information for the threads listed above:\n", "\nFound 1 deadlock.\n", "\nHeap\n");
    assertThat(deadlocked.exception()).contains("\n\"render-1\" #", "\n\"upload-1\" #");
    assertThat(threads(deadlocked)).isEqualTo(headers(deadlocked.exception())).isGreaterThan(threads(dump));
  }

  @Test
  void aDumpOfHundredsOfThreadsKeepsItsFirst30KibAndCountsTheRest() throws Exception {
    List<StoredRecord> records = run("thread-dump-400", """
        public class Render {
          public static void main(String[] args) throws Exception {
            for (int i = 0; i < 400; i++) {
              Thread thread = new Thread(() -> {
                try { Thread.sleep(60_000); } catch (InterruptedException e) { return; }
              }, "render-pool-" + i);
              thread.setDaemon(true);
              thread.start();
            }
            dump();
            System.out.println("after the dump");
          }
        """ + DUMP + "}\n");

    // Before: one record whose exception the agent cut at 32 KiB, then one of each line past 64 KiB.
    assertThat(records).extracting(StoredRecord::message).hasSize(3).endsWith("after the dump");
    StoredRecord dump = records.get(1);
    assertThat(dump.message()).startsWith("Full thread dump OpenJDK");
    assertThat(dump.exception()).hasSizeLessThan(31 * 1024).doesNotContain("heartlog truncated")
        .containsPattern("\n… \\[heartlog run left out the dump's last \\d+ lines, past its first 30 KiB]$")
        // none of the lines past the cut, short as they may be: its last, the blank lines between threads
        .doesNotContain("\nJNI global refs: ", "\nHeap\n", "\n\n\n");
    // every thread counted, those left out too
    assertThat(threads(dump)).isGreaterThan(400).isGreaterThan(headers(dump.exception()));
  }

  private List<StoredRecord> run(String worker, String source) throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path program = Files.writeString(folder.resolve("Render.java"), source);
    Cli.Result result = WrappedWorkers.heartlogRun(folder, worker, url, List.of(), JAVA, program.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    return WrappedWorkers.records(store, worker).stream()
        .filter(r -> r.metadataJson().contains("\"stream\": \"stdout\"")).toList();
  }

  private static int threads(StoredRecord record) {
    Matcher threads = THREADS.matcher(record.metadataJson());
    assertThat(threads.find()).as(record.metadataJson()).isTrue();
    return Integer.parseInt(threads.group(1));
  }

  /** The threads' headers in the dump's text: {@code "main" #1 prio=5 ... tid=0x... nid=...}. */
  private static int headers(String dump) {
    return (int) dump.lines().filter(line -> line.startsWith("\"") && line.contains(" tid=")).count();
  }
}
