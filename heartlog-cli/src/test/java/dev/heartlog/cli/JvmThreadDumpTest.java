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

  /** A thread that takes one lock, then another: two of them, the locks the other way round, wait for ever. */
  private static final String LOCKING = """
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
        """ + LOCKING + DUMP + "}\n");

    // Before: 45 INFO records a dump, one a thread's header and its state, one its frames, one a
    // "- locked" line, ...; later, the line of the time HotSpot prints above the dump was one.
    List<String> messages = records.stream().map(StoredRecord::message).toList();
    assertThat(messages).hasSize(5);
    assertThat(messages.get(0)).isEqualTo("rendering task 42");
    assertThat(messages.get(2)).isEqualTo("between the dumps");
    assertThat(messages.get(4)).isEqualTo("after the dumps");

    StoredRecord dump = records.get(1);
    assertThat(dump.level()).isEqualTo("INFO");
    assertThat(dump.message()).startsWith("Full thread dump OpenJDK").endsWith("):");
    assertThat(dump.metadataJson()).containsPattern("\"dump_time\": \"\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\"");
    assertThat(dump.exception()).startsWith(dump.message() + "\n")
        .contains("\n\"main\" #1 ", "\tat Render.dump(Render.java:", "\nJNI global refs: ", "\nHeap\n")
        .doesNotContain("deadlock", "heartlog run");   // whole, no thread folded where it fits
    assertThat(threads(dump)).isEqualTo(headers(dump.exception())).isGreaterThan(5);
    assertThat(dump.metadataJson()).doesNotContain("deadlocks");

    // the threads that wait on each other for ever: an error, which heartlog errors lists
    StoredRecord deadlocked = records.get(3);
    assertThat(deadlocked.level()).isEqualTo("ERROR");
    assertThat(deadlocked.message()).startsWith("Full thread dump OpenJDK").endsWith("): Found 1 deadlock.");
    assertThat(deadlocked.metadataJson()).contains("\"deadlocks\": 1", "\"dump_time\": \"");
    assertThat(deadlocked.exception()).contains("\nFound one Java-level deadlock:\n=============================\n",
        "\n\"render-1\":\n  waiting to lock monitor ", "which is held by \"upload-1\"",
        "\nJava stack information for the threads listed above:\n", "\nFound 1 deadlock.\n", "\nHeap\n");
    assertThat(deadlocked.exception()).contains("\n\"render-1\" #", "\n\"upload-1\" #");
    assertThat(threads(deadlocked)).isEqualTo(headers(deadlocked.exception())).isGreaterThan(threads(dump));
  }

  @Test
  void aDumpOfAWorkersPoolsFoldsTheThreadsThatWaitAlikeAndKeepsTheOneStuck() throws Exception {
    List<StoredRecord> records = run("thread-dump-pools", """
        import java.util.concurrent.*;
        public class Render {
          public static void main(String[] args) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(200);
            for (int i = 1; i < 200; i++) {
              pool.submit(() -> { });
            }
            pool.submit(Render::renderFrame);   // its last thread's task, stuck
            for (int i = 0; i < 200; i++) {
              Thread thread = new Thread(() -> {
                try { Thread.sleep(60_000); } catch (InterruptedException e) { return; }
              }, "upload-" + i);
              thread.setDaemon(true);
              thread.start();
            }
            Thread.sleep(300);
            dump();
            System.out.println("after the dump");
            System.exit(0);
          }
          static void renderFrame() {
            try { Thread.sleep(60_000); } catch (InterruptedException e) { }
          }
        """ + DUMP + "}\n");

    // Before: its first 30 KiB, the addresses of its threads, "main", HotSpot's threads, the
    // pool's first 13; neither the thread stuck in renderFrame, nor the dump's end.
    assertThat(records).extracting(StoredRecord::message).hasSize(2).endsWith("after the dump");
    String dump = records.get(0).exception();
    assertThat(dump).hasSizeLessThan(12 * 1024)
        .contains("\n\"main\" #1 ", "\nJNI global refs: ", "\nHeap\n")
        .containsPattern("\n_java_thread_list=0x\\p{XDigit}+, length=4\\d\\d, elements=\\{\n"
            + "… \\[heartlog run left out 10\\d lines of the threads' addresses]\n}\n")
        .doesNotContain("lines of the dump here");
    // the pool's first thread, waiting for work, and the 198 more that wait alike; its last, stuck
    assertThat(dump).containsPattern("\n\"pool-1-thread-1\" #\\d+ [^\n]*\n(   |\t)[^\n]*(\n\t[^\n]*)*\n"
        + "\t… and 198 more threads with this stack, folded by heartlog run: \"pool-1-thread-2\" … \"pool-1-thread-199\"\n\n")
        .containsPattern("\n\"pool-1-thread-200\" #\\d+ [^\n]*\n(   |\t)[^\n]*\n(\t[^\n]*\n)*\tat Render.renderFrame\\(");
    assertThat(dump).contains("\t… and 199 more threads with this stack, folded by heartlog run: \"upload-1\" … \"upload-199\"\n")
        .doesNotContain("\"pool-1-thread-2\" #", "\"upload-199\" #");
    // every thread counted, those folded too
    assertThat(threads(records.get(0))).isEqualTo(headers(dump) + 198 + 199);
  }

  @Test
  void aDumpOfManyStacksIsCutAmongItsThreadsAndKeepsItsDeadlocks() throws Exception {
    List<StoredRecord> records = run("thread-dump-cut", """
        public class Render {
          static final Object FRAMES = new Object(), UPLOADS = new Object();
          public static void main(String[] args) throws Exception {
            for (int i = 0; i < 200; i++) {
              int depth = i % 50;   // 50 stacks, of 4 to 53 frames
              Thread thread = new Thread(() -> deep(depth), "render-" + i);
              thread.setDaemon(true);
              thread.start();
            }
            locking("render-frames", FRAMES, UPLOADS).start();
            locking("upload-frames", UPLOADS, FRAMES).start();
            Thread.sleep(300);
            dump();
            System.out.println("after the dump");
          }
          static void deep(int depth) {
            if (depth > 0) {
              deep(depth - 1);
            } else {
              try { Thread.sleep(60_000); } catch (InterruptedException e) { }
            }
          }
        """ + LOCKING + DUMP + "}\n");

    // Before: the agent cut it at 32 KiB, its lines past 64 KiB records of their own; then, its
    // first 30 KiB, without the deadlock that makes it an error.
    assertThat(records).extracting(StoredRecord::message).hasSize(2).endsWith("after the dump");
    StoredRecord dump = records.get(0);
    assertThat(dump.level()).isEqualTo("ERROR");
    assertThat(dump.exception()).hasSizeLessThan(30 * 1024).doesNotContain("heartlog truncated")
        .containsPattern("\n… \\[heartlog run left out \\d+ lines of the dump here, to keep it to 30 KiB]\n(\n)?JNI global refs: ")
        .contains("\nFound one Java-level deadlock:\n", "which is held by \"upload-frames\"", "\nFound 1 deadlock.\n", "\nHeap\n")
        .contains("\t… and 3 more threads with this stack, folded by heartlog run: \"render-50\" … \"render-150\"\n");
    assertThat(threads(dump)).isGreaterThan(200).isGreaterThan(headers(dump.exception()) + 150);
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
