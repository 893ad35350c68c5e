package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blender's crash report read into the record of the line that names it, and HotSpot's into the
 * record of the part of it the JVM printed ({@link CrashReports}).
 * The workers below do what Blender 3.4.1's crash handler did when a script it ran read address 0
 * ({@code ctypes.string_at(0)}): print {@code Writing: /tmp/blender.crash.txt}, write the report
 * (the one it wrote then, a test resource), and die of SIGSEGV.
 */
class CrashReportsTest {

  @TempDir Path folder;

  private final String report = readResource("blender-3.4.1-crash-report.txt").stripTrailing();

  @Test
  void aBlenderThatCrashesHasItsReportInTheLinesRecordAndInTheExits() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path file = folder.resolve("blender.crash.txt");
    Cli.Result result = WrappedWorkers.heartlogRun(folder, "blender-crash", url, List.of(), "sh", "-c",
        "echo 'Blender 3.4.1'; echo \"Writing: $1\"; sleep 0.2; cp \"$2\" \"$1\"; kill -SEGV $$",
        "sh", file.toString(), resource("blender-3.4.1-crash-report.txt").toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(139);
    StoredRecord named = crashLine(store, "blender-crash");
    // Before, an INFO line, and the report stayed in the worker's /tmp.
    assertThat(named.level()).isEqualTo("ERROR");
    assertThat(named.exception()).isEqualTo(report);
    assertThat(named.metadataJson()).contains("\"crash_report\": \"" + file + "\"", "\"component\": \"blender\"");
    assertThat(records(store, "blender-crash")).filteredOn(r -> r.message().startsWith("the worker process was killed"))
        .extracting(StoredRecord::exception).containsExactly(report);
  }

  @Test
  void aBlenderRunByAWorkerThatGoesOnHasItsReportReadOnceWritten() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path file = folder.resolve("shot12.crash.txt");
    // Blender crashes in a subprocess; the worker's stdout, which it printed on, stays open.
    Cli.Result result = WrappedWorkers.heartlogRun(folder, "blender-subprocess", url, List.of(), "sh", "-c",
        "sh -c 'echo \"Writing: $1\"; sleep 0.2; cp \"$2\" \"$1\"; kill -SEGV $$' sh \"$1\" \"$2\";"
            + " echo \"blender exited with -11\"; sleep 1.5; echo 'next task'",
        "sh", file.toString(), resource("blender-3.4.1-crash-report.txt").toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    StoredRecord crash = crashLine(store, "blender-subprocess");
    assertThat(crash.exception()).isEqualTo(report);
    StoredRecord next = records(store, "blender-subprocess").stream().filter(r -> r.message().equals("next task"))
        .findFirst().orElseThrow();
    assertThat(crash.id()).as("recorded while the worker went on, not once its output ended").isLessThan(next.id());
  }

  @Test
  void aReportLeftByAnEarlierCrashIsNotThisOnes() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path file = folder.resolve("blender.crash.txt");
    Files.writeString(file, "# Blender 3.4.1\n# an hour old\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
    Cli.Result result = WrappedWorkers.heartlogRun(folder, "blender-stale", url, List.of(), "sh", "-c",
        "echo \"Writing: $1\"; echo 'Writing: frame_0001.png'", "sh", file.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    StoredRecord named = crashLine(store, "blender-stale");
    assertThat(named.level()).isEqualTo("ERROR");
    assertThat(named.exception()).as("the old report is not this crash's").isNull();
    assertThat(records(store, "blender-stale")).filteredOn(r -> r.message().equals("Writing: frame_0001.png"))
        .extracting(StoredRecord::level).as("not a crash report's name").containsExactly("INFO");
  }

  @Test
  void aReportNamedOnOneStreamIsWaitedForThoughTheOtherStreamEnds() throws Exception {
    List<String> recorded = new ArrayList<>();
    CrashReports reports = new CrashReports(
        (at, level, message, task, metadata) -> recorded.add(level + " " + message + "\n" + metadata.get("exception")));
    Path file = folder.resolve("blender.crash.txt");
    reports.line("stdout", new Tracebacks.Line(Instant.now(), Level.INFO, "Writing: " + file, null,
        Map.of("stream", "stdout"), System.nanoTime()), file);

    reports.end("stderr");   // a worker that closed its stderr while Blender crashed
    assertThat(recorded).as("not written yet").isEmpty();
    Files.writeString(file, report);
    reports.end("stdout");   // Blender gone

    assertThat(recorded).containsExactly("ERROR Writing: " + file + "\n" + report);
  }

  /** The part of HotSpot's report the JVM printed, ending with the file the rest went to. */
  private static String printedJvmReport(Path file) {
    return "#\n# A fatal error has been detected by the Java Runtime Environment:\n#\n"
        + "#  SIGSEGV (0xb) at pc=0x00007f3a2c4f1a2b, pid=4242, tid=4243\n#\n# Problematic frame:\n"
        + "# C  [libcuda.so.1+0x2c4f1a]  cuLaunchKernel+0x1a\n#\n"
        + "# An error report file with more information is saved as:\n# " + file + "\n#";
  }

  @Test
  void theJvmsCrashHasItsWholeReportUpToTheRegistersOnceWrittenAndWhatItPrintedWithoutIt() throws Exception {
    List<String> recorded = new ArrayList<>();
    CrashReports reports = new CrashReports((at, level, message, task, metadata) -> recorded.add(
        level + " " + message + " " + metadata.get("crash_report") + "\n" + metadata.get("exception")));
    Tracebacks.Sink waiting = reports.waitingForReports("stdout",
        (at, level, message, task, metadata) -> recorded.add("not waited for: " + message));
    Path written = folder.resolve("hs_err_pid4242.log");
    Path never = folder.resolve("hs_err_pid4343.log");
    String frames = "\n---------------  T H R E A D  ---------------\n\nJava frames: (J=compiled Java code)\n"
        + "j  ai.djl.pytorch.jni.PyTorchLibrary.moduleForward(J[J[ZZ)[J+0\n";
    String registers = "\nRegisters:\nRAX=0x0000000000000000, RBX=0x00007f98a8017ea0\n";

    waiting.record(Instant.now(), Level.ERROR, "A fatal error", null,
        new java.util.HashMap<>(Map.of("crash_report", written.toString(), "exception", printedJvmReport(written))));
    waiting.record(Instant.now(), Level.ERROR, "Another fatal error", null,
        new java.util.HashMap<>(Map.of("crash_report", never.toString(), "exception", printedJvmReport(never))));
    waiting.record(Instant.now(), Level.ERROR, "A logged error", null, new java.util.HashMap<>(Map.of(
        "crash_report", written.toString(), "exception", "java.lang.IllegalStateException: no GPU")));
    assertThat(recorded).as("a record that is no HotSpot report goes on").containsExactly("not waited for: A logged error");
    Files.writeString(written, printedJvmReport(written) + "\n" + frames + registers);
    reports.end("stdout");

    assertThat(recorded).containsExactly("not waited for: A logged error",
        "ERROR A fatal error " + written + "\n" + printedJvmReport(written) + "\n" + frames.stripTrailing()
            + "\n… [heartlog run truncated " + registers.length() + " bytes of " + written + "]",
        "ERROR Another fatal error " + never + "\n" + printedJvmReport(never));
  }

  @Test
  void aFileThatDoesNotBeginAsTheJvmsReportIsNotTaken() throws Exception {
    List<String> recorded = new ArrayList<>();
    CrashReports reports = new CrashReports((at, level, message, task, metadata) -> recorded.add(
        String.valueOf(metadata.get("exception"))));
    Path file = folder.resolve("hs_err_pid4242.log");
    reports.waitingForReports("stdout", (at, level, message, task, metadata) -> { }).record(Instant.now(), Level.ERROR,
        "A fatal error", null, new java.util.HashMap<>(Map.of("crash_report", file.toString(),
            "exception", printedJvmReport(file))));
    Files.writeString(file, "PK\u0003\u0004 a worker's archive, written where the report was to be\n");
    reports.end("stdout");

    assertThat(recorded).containsExactly(printedJvmReport(file));
  }

  @Test
  void theJvmsWholeReportPrintedForWantOfAFileIsOneErrorUpToItsRegisters() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // What OpenJDK 17 printed on stdout when it crashed in a folder it could not write, /tmp
    // read-only: its report's first part, then the whole report, 911 lines, where it had no file.
    Path printed = resource("openjdk-17.0.15-crash-dumped-to-screen.txt");
    Cli.Result result = WrappedWorkers.heartlogRun(folder, "jvm-dumped", url, List.of(), "sh", "-c",
        "echo 'decoding frame 7'; cat \"$1\"; echo 'the next line'", "sh", printed.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "jvm-dumped");
    // Before (the build of 0d22e0a8), 658 records: one ERROR, then 657 INFO records of the
    // report's lines from its first blank line, a few of them joined.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple("INFO", "decoding frame 7"),
        org.assertj.core.groups.Tuple.tuple("ERROR", "A fatal error has been detected by the Java Runtime Environment:"
            + " SIGSEGV (0xb) in V [libjvm.so+0xed2f94] Unsafe_PutLong+0x124"),
        org.assertj.core.groups.Tuple.tuple("INFO", "the next line"));
    assertThat(records.get(1).exception()).startsWith("#\n# A fatal error has been detected")
        .contains("\n# Can not save log file, dump to screen..\n", "\nJava frames: ", "\nj  Crash.main(")
        .doesNotContain("Registers:", "Environment Variables:")
        .endsWith("\n#   https://bugs.debian.org/openjdk-17\n#\n"
            + "… [heartlog run left out the report's 842 lines from its registers (or its first 8 KiB) to its end]");
  }

  private static StoredRecord crashLine(Store store, String worker) {
    List<StoredRecord> named = records(store, worker).stream()
        .filter(r -> r.message().startsWith("Writing: ") && r.message().endsWith(".crash.txt")).toList();
    assertThat(named).hasSize(1);
    return named.get(0);
  }

  private static Path resource(String name) throws Exception {
    return Path.of(Objects.requireNonNull(CrashReportsTest.class.getResource("/workers/" + name)).toURI());
  }

  private static String readResource(String name) {
    try {
      return Files.readString(resource(name));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
