package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.exitRecord;
import static dev.heartlog.cli.WrappedWorkers.records;
import static dev.heartlog.cli.WrappedWorkers.stderrRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.store.ErrorKind;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers of other runtimes than Python (the JVM, Go, Rust, Node.js; Python's are {@link
 * WrappedPythonProgramsTest}), run for real under {@code heartlog run}: what each prints when it
 * logs and when it dies, and what becomes of it in the store. The runtimes are Debian's packages
 * ({@code .ci/run} installs them); a test whose runtime is missing is skipped.
 */
@Timeout(60)
class WrappedProgramsTest {

  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path folder;

  /** {@code heartlog run} of {@code command} as {@code worker}, storing into {@code url}. */
  private Cli.Result heartlogRun(String worker, String url, String... command) {
    return heartlogRun(worker, url, List.of(), command);
  }

  private Cli.Result heartlogRun(String worker, String url, List<String> options, String... command) {
    return WrappedWorkers.heartlogRun(folder, worker, url, options, command);
  }

  private Path goBuild(Path source) throws IOException, InterruptedException {
    return WrappedWorkers.goBuild(folder, source);
  }

  @Test
  void aWrappedJavaProgramsUncaughtExceptionIsOneErrorWithItsStackTrace() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path program = folder.resolve("Crash.java");
    Files.writeString(program, """
        public class Crash {
          public static void main(String[] args) {
            System.out.println("rendering frame 1");
            try {
              throw new java.io.IOException("No space left on device");
            } catch (java.io.IOException e) {
              throw new IllegalStateException("render failed\\n  frame: 42", e);
            }
          }
        }
        """);
    Cli.Result result = heartlogRun("wrapped-java", url, JAVA, program.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    assertThat(result.err()).contains("\tat Crash.main(Crash.java:7)");
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-java");
    assertThat(stderr).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("ERROR");
      assertThat(record.message()).isEqualTo("Exception in thread \"main\" java.lang.IllegalStateException: render failed");
      // The source launcher's own frames follow; how many depends on the JDK.
      assertThat(record.exception())
          .startsWith("Exception in thread \"main\" java.lang.IllegalStateException: render failed\n"
              + "  frame: 42\n"   // the message's second line
              + "\tat Crash.main(Crash.java:7)\n")
          .contains("\nCaused by: java.io.IOException: No space left on device\n\tat Crash.main(Crash.java:5)\n")
          .doesNotEndWith("\n");
    });
  }

  @Test
  void theJvmsCrashReportIsOneErrorThatSaysWhatCrashed() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // A native library's crash, as a JNI binding's of CUDA: HotSpot's report, on stdout.
    Path program = Files.writeString(folder.resolve("NativeCrash.java"), """
        public class NativeCrash {
          public static void main(String[] args) throws Exception {
            System.out.println("decoding frame 7");
            java.lang.reflect.Field unsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            unsafe.setAccessible(true);
            ((sun.misc.Unsafe) unsafe.get(null)).getAddress(0);
          }
        }
        """);

    Cli.Result result = heartlogRun("wrapped-jvm-crash", url, JAVA, "-XX:-CreateCoredumpOnCrash",
        "-XX:ErrorFile=" + folder.resolve("hs_err_%p.log"), program.toString());

    assertThat(result.exitCode()).isNotZero();
    List<StoredRecord> records = records(store, "wrapped-jvm-crash");
    // Before, each line of the report was an INFO record of its own, about 18.
    assertThat(records).extracting(StoredRecord::level).containsExactly("INFO", "ERROR", "ERROR");
    // What crashed and in which frame; where (its address) and whose (its pid) are in the report.
    assertThat(records.get(1).message()).matches("A fatal error has been detected by the Java Runtime Environment:"
        + " SIGSEGV \\(0xb\\) in V \\[libjvm\\.so\\+0x\\p{XDigit}+] Unsafe_\\w+\\+0x\\p{XDigit}+");
    // The report the JVM wrote to its file, the crashed thread's Java frames in it, up to the
    // registers; before, only the part it printed, and the rest stayed in the worker's folder.
    assertThat(records.get(1).exception()).startsWith("#\n# A fatal error has been detected")
        .contains("# Problematic frame:\n").contains("\nJava frames: ").contains("\nj  NativeCrash.main(")
        .doesNotContain("\nRegisters:").containsPattern("\n… \\[heartlog run truncated \\d+ bytes of "
            + java.util.regex.Pattern.quote(folder.resolve("hs_err_").toString()) + "\\d+\\.log]$");
    assertThat(records.get(1).metadataJson()).containsPattern("\"crash_report\": \"[^\"]*hs_err_\\d+\\.log\"");

    // A JVM that HotSpot stops itself (-XX:+CrashOnOutOfMemoryError) crashes another way; each
    // crash is a kind of what it was and where, as its record says. Before, every crash of the
    // JVM was one kind, named by the report's first line, "#".
    Path outOfMemory = Files.writeString(folder.resolve("OutOfMemory.java"), """
        public class OutOfMemory {
          public static void main(String[] args) {
            java.util.List<long[]> frames = new java.util.ArrayList<>();
            while (true) {
              frames.add(new long[1_000_000]);
            }
          }
        }
        """);
    heartlogRun("wrapped-jvm-crash", url, JAVA, "-Xmx32m", "-XX:+CrashOnOutOfMemoryError", "-XX:-CreateCoredumpOnCrash",
        "-XX:ErrorFile=" + folder.resolve("hs_err_%p.log"), outOfMemory.toString());
    assertThat(records(store, "wrapped-jvm-crash")).extracting(StoredRecord::message).anyMatch(message -> message.matches(
        "A fatal error has been detected by the Java Runtime Environment:"
            + " Internal Error \\(debug\\.cpp:\\d+\\): fatal error: OutOfMemory encountered: Java heap space"));
    List<ErrorKind> kinds = store.errorKinds("wrapped-jvm-crash", Instant.now().minusSeconds(600), null, 10).kinds();
    assertThat(kinds).filteredOn(kind -> kind.exception() != null).satisfiesExactlyInAnyOrder(
        kind -> assertThat(kind.exception())
            .matches("SIGSEGV \\(0xb\\) in V \\[libjvm\\.so\\+0x\\p{XDigit}+] Unsafe_\\w+\\+0x\\p{XDigit}+"),
        kind -> assertThat(kind.exception())
            .matches("Internal Error \\(debug\\.cpp:\\d+\\): fatal error: OutOfMemory encountered: Java heap space"))
        // the crash's record and the exit's, which carries the report too, are one kind
        .allSatisfy(kind -> assertThat(kind.errors()).isEqualTo(2));
    // and the line HotSpot prints on stderr before it stops the JVM, one of its own
    assertThat(kinds).filteredOn(kind -> kind.exception() == null).extracting(ErrorKind::message)
        .containsExactly("Aborting due to java.lang.OutOfMemoryError: Java heap space");
  }

  @Test
  void aWrappedJavaProgramsJavaUtilLoggingRecordsAreOneRecordEachWithTheirLevels() throws IOException {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path program = folder.resolve("Render.java");
    Files.writeString(program, """
        import java.util.logging.Level;
        import java.util.logging.Logger;

        public class Render {
          public static void main(String[] args) {
            Logger log = Logger.getLogger("render");
            log.info("Loading model wan2.1");
            log.warning("VRAM nearly full");
            log.log(Level.SEVERE, "render failed", new IllegalStateException("CUDA out of memory"));
            log.info("config:\\n  model=wan2.1\\n  frames=81");
            log.log(Level.WARNING, "upload failed, retrying", new java.io.IOException("connection reset"));
          }
        }
        """);
    // The console handler's default format, whose date is in the JVM's language: English here.
    Cli.Result result = heartlogRun("wrapped-jul", url, JAVA, "-Duser.language=en", "-Duser.country=US", program.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-jul");
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Loading model wan2.1"),
        tuple("WARNING", "VRAM nearly full"),
        tuple("ERROR", "render failed"),
        // A message of several lines is one record; a warning's exception is the warning's. Before,
        // the first was three records, and the second a warning and an error of its own.
        tuple("INFO", "config:\n  model=wan2.1\n  frames=81"),
        tuple("WARNING", "upload failed, retrying"));
    assertThat(records.get(0).metadataJson()).contains("\"logger\": \"Render\"", "\"method\": \"main\"");
    assertThat(records.get(2).exception()).startsWith("java.lang.IllegalStateException: CUDA out of memory\n\tat Render.main(");
    assertThat(records.get(4).exception()).startsWith("java.io.IOException: connection reset\n\tat Render.main(");
  }

  @Test
  void aWrappedRustProgramsPanicIsOneErrorWithItsMessage() throws Exception {
    Path program = compiledRust("claim", """
        fn claim(queue: &[u32]) -> u32 { queue[5] }
        fn main() { println!("claimed {}", claim(&[1, 2, 3])); }
        """);
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    // Without RUST_BACKTRACE, which some machines set: a backtrace is symbolized as it is printed,
    // and on a loaded machine its last line came 300 ms after the rest, past TRACEBACK_QUIET.
    Cli.Result result = heartlogRun("wrapped-rust", url, "env", "-u", "RUST_BACKTRACE", program.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(101);
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-rust");
    assertThat(stderr).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("ERROR");
      assertThat(record.message()).matches("thread 'main'( \\(\\d+\\))? panicked at .*claim\\.rs:1:\\d+: "
          + "index out of bounds: the len is 3 but the index is 5");
    });
  }

  /**
   * A Rust program whose main returns an error: Rust prints it as {@code Error: } and its Debug,
   * which anyhow writes as a report of its causes. anyhow cannot be fetched here, so the error
   * below writes its Debug as anyhow 1.0 does (its fmt.rs): the error, a blank line, {@code
   * Caused by:} and the causes numbered.
   */
  @Test
  void aWrappedRustProgramsReturnedErrorIsOneErrorWithItsCauses() throws Exception {
    Path program = compiledRust("report", """
        use std::fmt;
        struct Report(Vec<String>);
        impl fmt::Debug for Report {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "{}\\n\\nCaused by:", self.0[0])?;
                for (n, cause) in self.0[1..].iter().enumerate() {
                    write!(f, "\\n    {}: {}", n, cause)?;
                }
                Ok(())
            }
        }
        fn main() -> Result<(), Report> {
            println!("claimed task t-7");
            Err(Report(vec!["render failed for task t-7".into(), "decode frame 3".into(),
                std::fs::read("/nonexistent/frame-3.png").unwrap_err().to_string()]))
        }
        """);
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    Cli.Result result = heartlogRun("wrapped-rust-report", url, program.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    String report = "Error: render failed for task t-7\n\nCaused by:\n    0: decode frame 3\n"
        + "    1: No such file or directory (os error 2)";
    // Before, an error and a warning of its causes.
    assertThat(stderrRecords(store, "wrapped-rust-report")).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("ERROR");
      assertThat(record.message()).isEqualTo("Error: render failed for task t-7");
      assertThat(record.exception()).isEqualTo(report);
    });
    assertThat(exitRecord(store, "wrapped-rust-report").exception()).isEqualTo(report);
  }

  /** The Rust program of the source, compiled with rustc into the test's folder; the test is skipped without rustc. */
  private Path compiledRust(String name, String source) throws IOException, InterruptedException {
    Path rustc = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"), new String[] {"/root/.cargo/bin"})
        .flatMap(Stream::of).map(dir -> Path.of(dir, "rustc")).filter(Files::isExecutable).findFirst().orElse(null);
    assumeTrue(rustc != null, "rustc is needed");
    Path file = Files.writeString(folder.resolve(name + ".rs"), source);
    Path program = folder.resolve(name);
    Process compile = new ProcessBuilder(rustc.toString(), file.toString(), "-o", program.toString())
        .redirectErrorStream(true).start();
    assertThat(compile.waitFor()).as(new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    return program;
  }

  @Test
  void aWrappedGoProgramsLogLinesAreInfoAndItsPanicIsOneErrorWithEveryGoroutinesStack() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // A panic in a goroutine, with every goroutine's stack (blank lines between them), as
    // GOTRACEBACK=all prints it.
    Path source = Files.writeString(folder.resolve("claim.go"), """
        package main

        import (
        \t"fmt"
        \t"log"
        \t"runtime/debug"
        )

        func main() {
        \tdebug.SetTraceback("all")
        \tfmt.Println("claimed task 438d8fe8")
        \tlog.Printf("rendering %d frames", 3)
        \tdone := make(chan bool)
        \tgo func() {
        \t\tvar frames map[string]int
        \t\tframes["42"] = 17
        \t\tdone <- true
        \t}()
        \t<-done
        }
        """);
    Path program = goBuild(source);

    Cli.Result result = heartlogRun("wrapped-go", url, program.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-go");
    assertThat(stderr).extracting(StoredRecord::level).containsExactly("INFO", "ERROR");
    assertThat(stderr.get(0).message()).as("Go's log package, on stderr").isEqualTo("rendering 3 frames");
    assertThat(stderr.get(1)).satisfies(record -> {
      assertThat(record.message()).isEqualTo("panic: assignment to entry in nil map");
      // The main goroutine is waiting on the channel, or not yet there ("runnable"): the
      // scheduler's timing, not heartlog's.
      assertThat(record.exception()).matches("(?s)panic: assignment to entry in nil map\n\ngoroutine \\d+ \\[running\\]:\n"
          + "main\\.main\\.func1\\(\\)\n\t.*claim\\.go:16 .*\ncreated by main\\.main.*"
          + "\n\ngoroutine 1 \\[(chan receive|runnable)\\]:\nmain\\.main\\(\\)\n\t.*claim\\.go:19 .*");
    });
  }

  @Test
  void aWrappedGoProgramsLogFatalIsItsLastWordsInTheExitsRecord() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // log.Fatalf prints like log.Printf, then exits with 1: nothing in the line says it is fatal.
    Path program = goBuild(Files.writeString(folder.resolve("load.go"), """
        package main

        import "log"

        func main() {
        \tlog.Printf("loading model %s", "wan2.1")
        \tlog.Fatalf("model file is truncated (%d of %d GB)", 1, 14)
        }
        """));

    Cli.Result result = heartlogRun("wrapped-go-fatal", url, program.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    assertThat(stderrRecords(store, "wrapped-go-fatal")).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly(tuple("INFO", "loading model wan2.1"), tuple("INFO", "model file is truncated (1 of 14 GB)"));
    assertThat(exitRecord(store, "wrapped-go-fatal")).satisfies(exit -> {
      assertThat(exit.level()).isEqualTo("ERROR");
      assertThat(exit.message()).isEqualTo("the worker process exited with code 1");
      // Before, both lines: the first, "loading model wan2.1", named the failure.
      assertThat(exit.exception()).as("log.Fatal's line, the last before the exit, as stored")
          .isEqualTo("model file is truncated (1 of 14 GB)");
    });
  }

  @Test
  void aWrappedPerlProgramsDieIsItsLastWordsInTheExitsRecordNotTheWarningsBefore() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")), "perl is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // warn and die print alike ("... at worker.pl line 3."): the die is the last line, before exit 255
    Path program = Files.writeString(folder.resolve("worker.pl"), """
        warn "VRAM at 95%\\n";
        warn "low disk";
        die "render failed: CUDA out of memory";
        """);

    Cli.Result result = heartlogRun("wrapped-perl", url, "/usr/bin/perl", program.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(255);
    assertThat(stderrRecords(store, "wrapped-perl")).extracting(StoredRecord::message)
        .containsExactly("VRAM at 95%", "low disk at " + program + " line 2.",
            "render failed: CUDA out of memory at " + program + " line 3.");
    // Before, the three lines, the first of which, "VRAM at 95%", named the failure.
    assertThat(exitRecord(store, "wrapped-perl").exception())
        .isEqualTo("render failed: CUDA out of memory at " + program + " line 3.");
  }

  @Test
  void anAsynqWorkersLinesGiveTheirLevelAndTheirMessageAlone() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // asynq's logger, as its internal/log builds it: Go's log with asynq's prefix, in UTC, each
    // message after its level's word.
    Path program = goBuild(Files.writeString(folder.resolve("asynq.go"), """
        package main

        import (
        	"fmt"
        	"log"
        	"os"
        )

        func main() {
        	l := log.New(os.Stderr, fmt.Sprintf("asynq: pid=%d ", os.Getpid()), log.Ldate|log.Ltime|log.Lmicroseconds|log.LUTC)
        	l.Print("INFO: ", "Starting processing")
        	l.Print("WARN: ", "Retry exhausted for task id=c9d0e1f2")
        	l.Print("ERROR: ", "Dequeue error: UNKNOWN: redis command error: connection refused")
        }
        """));

    Cli.Result result = heartlogRun("wrapped-asynq", url, program.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-asynq");
    // Before, the level was read, but the prefix and the time stayed in each message.
    assertThat(stderr).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Starting processing"),
        tuple("WARNING", "Retry exhausted for task id=c9d0e1f2"),
        tuple("ERROR", "Dequeue error: UNKNOWN: redis command error: connection refused"));
    assertThat(stderr.get(0).metadataJson()).contains("\"component\": \"asynq\"", "\"pid\": ");
  }

  @Test
  void aWrappedNodeProgramsUncaughtErrorIsOneErrorWithItsStackTrace() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/node")), "node is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path program = Files.writeString(folder.resolve("render.js"), """
        console.log("rendering frame 1");
        function render() { throw new TypeError("Cannot read properties of undefined (reading 'width')"); }
        render();
        """);

    Cli.Result result = heartlogRun("wrapped-node", url, "/usr/bin/node", program.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-node");
    assertThat(stderr).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("ERROR");
      assertThat(record.message()).isEqualTo("TypeError: Cannot read properties of undefined (reading 'width')");
      assertThat(record.exception())
          .startsWith(program + ":2\n")
          .contains("\nTypeError: Cannot read properties of undefined (reading 'width')\n    at render (" + program + ":2:")
          .containsPattern("\nNode\\.js v\\d+[.\\d]*$");
    });
  }

  /**
   * A Node.js worker whose heap ran out: V8's report (the collector's last runs, the error, the
   * native stack) is one CRITICAL record, which the exit's record names. Before, 21 records on
   * stderr, the error among warnings, and the exit's record carried the last ten native frames.
   */
  @Test
  void aNodeWorkerWhoseHeapRanOutIsOneCriticalRecordTheExitNames() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/node")), "node is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path program = Files.writeString(folder.resolve("frames.js"), """
        const frames = [];
        while (true) frames.push(new Array(100000).fill(1.5));
        """);

    Cli.Result result = heartlogRun("wrapped-node-oom", url, "/usr/bin/node", "--max-old-space-size=30", program.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(134);   // V8 aborts
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-node-oom");
    assertThat(stderr).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("CRITICAL");
      assertThat(record.message()).isEqualTo("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory");
      assertThat(record.exception()).startsWith("<--- Last few GCs --->").contains("Mark-Compact", "<--- JS stacktrace --->")
          .containsPattern("\n ?1: 0x[0-9a-f]+ ");
    });
    assertThat(records(store, "wrapped-node-oom")).filteredOn(record -> record.message().startsWith("the worker process was"))
        .singleElement().satisfies(exit -> {
          assertThat(exit.message()).isEqualTo("the worker process was killed by signal 6 (SIGABRT) (exit code 134)");
          assertThat(exit.exception()).isEqualTo(stderr.get(0).exception());
        });
  }

  /** The same, as Node.js 20.20.2 printed it here, whatever Node.js the machine running the tests has. */
  @Test
  void nodesReportOfItsHeapRunningOutIsOneCriticalRecord() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "node-20.20.2-heap-out-of-memory.txt", "node-oom-replayed");

    assertThat(records).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("CRITICAL");
      assertThat(record.message()).isEqualTo("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory");
      assertThat(record.exception()).startsWith("<--- Last few GCs --->\n\n[14674:0x1ebd0ca0]      180 ms: Mark-Compact")
          .endsWith("\n16: 0x195e476  [node]");
    });
  }

  @Test
  void aNodeWorkersWarningIsOneRecordAndItsUnhandledRejectionOneError() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/node")), "node is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path program = Files.writeString(folder.resolve("reject.js"), """
        process.emitWarning("VRAM at 95%", "ResourceWarning");
        setTimeout(() => Promise.reject("render timed out"), 300);
        """);

    Cli.Result result = heartlogRun("wrapped-node-reject", url, "/usr/bin/node", program.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-node-reject");
    // Before, the warning's note was a warning of its own, and the rejection's lines were five
    // warnings: the place, its source, the caret, the error's line, and its frames.
    assertThat(stderr).extracting(StoredRecord::level).containsExactly("WARNING", "ERROR");
    assertThat(stderr.get(0).message()).matches("\\(node:\\d+\\) ResourceWarning: VRAM at 95%");
    assertThat(stderr.get(0).metadataJson()).contains("\"note\": \"(Use `node --trace-warnings ...`");
    assertThat(stderr.get(1).message()).startsWith("UnhandledPromiseRejection: ").endsWith("reason \"render timed out\".");
    assertThat(stderr.get(1).exception()).contains("code: 'ERR_UNHANDLED_REJECTION'\n}").containsPattern("\nNode\\.js v[.\\d]+$");
  }

  @Test
  void aNodeErrorPrintedWithItsPropertiesAndCauseIsOneErrorWithThem() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/node")), "node is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // A refused connection, printed as Node.js prints an error: its properties in braces after
    // its last frame, and a cause's within them. Then thrown, uncaught.
    Path program = Files.writeString(folder.resolve("upload.js"), """
        require("net").connect(1, "127.0.0.1").on("error", (refused) => {
          console.error(refused);
          console.error(new Error("upload failed", { cause: refused }));
          setTimeout(() => { throw refused; }, 300);
        });
        """);

    Cli.Result result = heartlogRun("wrapped-node-props", url, "/usr/bin/node", program.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-node-props");
    // Before, the first error took the second's first line into its message and frames, and
    // the rest of the second were warnings of their own, one a line (10).
    assertThat(stderr).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "Error: connect ECONNREFUSED 127.0.0.1:1"), tuple("ERROR", "Error: upload failed"),
        tuple("ERROR", "Error: connect ECONNREFUSED 127.0.0.1:1"));
    assertThat(stderr.get(0).exception()).containsPattern("\\{\n  errno: -111,\n  code: 'ECONNREFUSED',\n[^}]*\n}$");
    assertThat(stderr.get(1).exception()).contains("\n  [cause]: Error: connect ECONNREFUSED 127.0.0.1:1\n")
        .endsWith("  }\n}");
    assertThat(stderr.get(2).exception()).contains("code: 'ECONNREFUSED'").containsPattern("\n}\n\nNode\\.js v\\d+[.\\d]*$");
  }

  /**
   * Node.js errors a worker meets often, logged and uncaught: one thrown with its cause, whose
   * frames in common with the cause Node.js prints as one line; a file system call's, logged from
   * a promise (its last frame an async function's with no name) and then thrown from a callback,
   * where it has no frames and Node.js prints it in brackets; a connection refused with no
   * listener for the socket's 'error' event. Each is one error to Node.js's version line, and the
   * store names the bracketed one as the logged one, so both are one kind.
   */
  @Test
  void nodesErrorsWithACauseOfAFileSystemCallAndOfAnUnheardEventAreOneErrorEach() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/node")), "node is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path files = Files.writeString(folder.resolve("files.js"), """
        const fs = require("fs");
        function decode() { throw new RangeError("frame 12 out of range"); }
        function render() { try { decode(); } catch (e) { throw new Error("render failed", { cause: e }); } }
        try { render(); } catch (e) { console.error(e); }
        (async () => {
          try { await fs.promises.readFile("/nonexistent/sd.bin"); } catch (e) { console.error(e); }
          setTimeout(() => fs.readFile("/nonexistent/sd.bin", (err) => { if (err) throw err; }), 300);
        })();
        """);
    Path socket = Files.writeString(folder.resolve("socket.js"), "require(\"net\").connect(1, \"127.0.0.1\");\n");
    // A worker thread's error, which Node.js prints with no blank line below the caret.
    Path thread = Files.writeString(folder.resolve("thread.js"), """
        const { Worker, isMainThread } = require("worker_threads");
        if (isMainThread) { new Worker(__filename); } else { throw new RangeError("frame 9 out of range"); }
        """);

    Cli.Result filesRun = heartlogRun("wrapped-node-files", url, "/usr/bin/node", files.toString());
    Cli.Result socketRun = heartlogRun("wrapped-node-socket", url, "/usr/bin/node", socket.toString());
    Cli.Result threadRun = heartlogRun("wrapped-node-thread", url, "/usr/bin/node", thread.toString());

    assertThat(filesRun.exitCode()).as(filesRun.err()).isEqualTo(1);
    assertThat(socketRun.exitCode()).as(socketRun.err()).isEqualTo(1);
    assertThat(threadRun.exitCode()).as(threadRun.err()).isEqualTo(1);
    String missing = "Error: ENOENT: no such file or directory, open '/nonexistent/sd.bin'";
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-node-files");
    // Before, the first two were cut at "... 5 lines matching cause stack trace ..." and at
    // "at async /.../files.js:5:24 {", the rest of each a warning of its own, and the third named
    // "[Error: ENOENT: ...] {".
    assertThat(stderr).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "Error: render failed"), tuple("ERROR", missing), tuple("ERROR", missing));
    assertThat(stderr.get(0).exception()).contains("lines matching cause stack trace")
        .contains("\n  [cause]: RangeError: frame 12 out of range\n").endsWith("\n}");
    assertThat(stderr.get(1).exception()).containsPattern("\n    at async .*files\\.js:\\d+:\\d+ \\{\n")
        .endsWith("\n  path: '/nonexistent/sd.bin'\n}");
    assertThat(stderr.get(2).exception()).contains("\n[" + missing + "] {\n")
        .containsPattern("\n}\n\nNode\\.js v\\d+[.\\d]*$");
    assertThat(store.errorKinds("wrapped-node-files", java.time.Instant.now().minusSeconds(600), null, 10).kinds())
        .extracting(dev.heartlog.store.ErrorKind::exception, dev.heartlog.store.ErrorKind::errors)
        .as("the error with a cause named with what its cause says")
        .containsExactlyInAnyOrder(tuple(missing, 3L), tuple("Error: render failed, caused by RangeError: frame 12 out of range", 1L));
    assertThat(stderrRecords(store, "wrapped-node-socket")).singleElement().satisfies(refused -> {
      assertThat(refused.message()).isEqualTo("Error: connect ECONNREFUSED 127.0.0.1:1");
      assertThat(refused.exception()).contains("\nEmitted 'error' event on Socket instance at:\n")
          .contains("  code: 'ECONNREFUSED',").containsPattern("\n}\n\nNode\\.js v\\d+[.\\d]*$");
    });
    // Before, the store named it by the line after the first blank one: "Node.js v20.20.2".
    assertThat(store.errorKinds("wrapped-node-thread", java.time.Instant.now().minusSeconds(600), null, 10).kinds())
        .extracting(dev.heartlog.store.ErrorKind::exception).containsExactly("RangeError [Error]: frame 9 out of range");
  }

  /**
   * {@code console.error("render failed:", err)}, the way a Node.js worker most often reports an
   * error it caught: one error, the line its message, the error from its line on its exception.
   * Before, a warning, and the frames a warning of their own named by the first. So was {@code
   * console.trace}'s line and its frames; now one warning.
   */
  @Test
  void aNodeErrorPrintedAfterWordsIsOneErrorWithThem() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/node")), "node is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path program = Files.writeString(folder.resolve("caught.js"), """
        function render() { throw new Error("CUDA device lost"); }
        try { render(); } catch (e) { console.error("render failed:", e); }
        console.error("next frame");
        console.trace("slow frame 3");
        """);

    Cli.Result result = heartlogRun("wrapped-node-caught", url, "/usr/bin/node", program.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-node-caught");
    assertThat(stderr).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "render failed: Error: CUDA device lost"), tuple("WARNING", "next frame"),
        tuple("WARNING", "Trace: slow frame 3"));
    assertThat(stderr.get(0).exception()).startsWith("Error: CUDA device lost\n    at render (")
        .contains("\n    at Object.<anonymous> (").doesNotContain("next frame");
    // console.trace: a warning with the frames it was called from, where they were one of their own.
    assertThat(stderr.get(2).exception()).startsWith("Trace: slow frame 3\n    at Object.<anonymous> (");
  }
}
