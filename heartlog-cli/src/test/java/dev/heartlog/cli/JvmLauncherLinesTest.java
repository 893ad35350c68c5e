package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM worker that cannot start, as heartlog run stores what the {@code java} launcher printed
 * ({@link JvmLauncherLines}): the JDK that runs these tests, started as a deploy gets it wrong.
 * Before, each of the launcher's lines was a record of its own: the reason a warning, or INFO on
 * stdout.
 */
class JvmLauncherLinesTest {

  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path folder;

  @Test
  void aMainClassNotFoundIsOneErrorWithTheExceptionWhy() throws Exception {
    List<StoredRecord> records = run("jvm-no-class", JAVA, "-cp", folder.toString(), "com.example.Worker");

    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "Error: Could not find or load main class com.example.Worker\n"
            + "Caused by: java.lang.ClassNotFoundException: com.example.Worker"));
    assertThat(records.get(0).metadataJson()).contains("\"component\": \"java\"");
  }

  /** A worker built for a newer Java than the machine's: its class file's version one the JVM does not know. */
  @Test
  void aClassBuiltForANewerJavaIsOneErrorThatSaysSo() throws Exception {
    Path compiled = compiled("Worker", "public class Worker { public static void main(String[] args) {} }");
    byte[] bytes = Files.readAllBytes(compiled);
    bytes[7] = (byte) (bytes[7] + 10);   // the major version: ten Java releases later than this one's
    Files.write(compiled, bytes);

    List<StoredRecord> records = run("jvm-newer-class", JAVA, "-cp", folder.toString(), "Worker");

    assertThat(records).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("ERROR");
      assertThat(record.message()).startsWith("Error: LinkageError occurred while loading main class Worker\n"
          + "\tjava.lang.UnsupportedClassVersionError: Worker has been compiled by a more recent version of the Java Runtime");
    });
  }

  @Test
  void aClassWithoutMainIsOneErrorWithTheLauncherAdvice() throws Exception {
    compiled("Worker", "public class Worker { public static void run(String[] args) {} }");

    List<StoredRecord> records = run("jvm-no-main", JAVA, "-cp", folder.toString(), "Worker");

    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "Error: Main method not found in class Worker, please define the main method as:\n"
            + "   public static void main(String[] args)\n"
            + "or a JavaFX application class must extend javafx.application.Application"));
  }

  /** An option the JVM refused: the option was a warning, and each of the launcher's two lines after it an error. */
  @Test
  void aRefusedOptionIsOneErrorNamingIt() throws Exception {
    List<StoredRecord> records = run("jvm-refused-option", JAVA, "-XX:+UseHeartlogCollector", "-version");

    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "Unrecognized VM option 'UseHeartlogCollector'\n"
            + "Error: Could not create the Java Virtual Machine.\n"
            + "Error: A fatal exception has occurred. Program will exit."));
  }

  /** The VM's own failure to start, which it prints on stdout: INFO before. */
  @Test
  void aVmThatCannotInitializeIsOneErrorWithTheReason() throws Exception {
    List<StoredRecord> records = run("jvm-heap", JAVA, "-Xms64m", "-Xmx32m", "-version");

    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "Error occurred during initialization of VM\n"
            + "Initial heap size set to a larger value than the maximum heap size"));
  }

  /** The same lines as the JVM printed them, read apart: still one record. */
  @Test
  void aVmThatCannotInitializeIsOneErrorThoughItsLinesWereReadApart() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    WrappedWorkers.heartlogRun(folder, "jvm-heap-apart", url, List.of(), "/bin/sh", "-c",
        "echo 'Error occurred during initialization of VM'; sleep 0.1; "
            + "echo 'Could not reserve enough space for 8388608KB object heap'; echo 'next worker line'");

    assertThat(WrappedWorkers.records(store, "jvm-heap-apart")).extracting(StoredRecord::level, StoredRecord::message)
        .contains(tuple("ERROR", "Error occurred during initialization of VM\n"
            + "Could not reserve enough space for 8388608KB object heap"), tuple("INFO", "next worker line"));
  }

  /** A worker told to end when its heap runs out, as a container's JVM is: the JVM's last line, on stdout, INFO before. */
  @Test
  void aJvmThatEndsOnRunningOutOfMemoryIsCritical() throws Exception {
    compiled("Frames", """
        public class Frames {
          public static void main(String[] args) {
            java.util.List<long[]> frames = new java.util.ArrayList<>();
            while (true) frames.add(new long[1_000_000]);
          }
        }
        """);
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "jvm-oom", url, List.of(), JAVA, "-Xmx32m",
        "-XX:+ExitOnOutOfMemoryError", "-cp", folder.toString(), "Frames");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
    assertThat(WrappedWorkers.records(store, "jvm-oom")).extracting(StoredRecord::level, StoredRecord::message)
        .contains(tuple("CRITICAL", "Terminating due to java.lang.OutOfMemoryError: Java heap space"));
  }

  @Test
  void linesAfterTheErrorThatAreNotItsOwnAreRecordsOfTheirOwn() {
    JvmLauncherLines lines = new JvmLauncherLines();

    assertThat(lines.parse("Error: Could not find or load main class Worker", "stderr")).isNotNull();
    assertThat(lines.moreFollows()).isTrue();
    assertThat(lines.parse("retrying with the fallback class", "stderr")).isNull();
    assertThat(lines.parse("Unrecognized option: --fast", "stderr")).isNotNull();
    assertThat(lines.parse("Error: Main method not found in class Worker, please define the main method as:", "stderr"))
        .isNotNull();
    assertThat(lines.continuesRecord()).as("not one of the lines the refused option's error goes on with").isFalse();
    assertThat(lines.parse("   public static void main(String[] args)", "stderr")).isNotNull();
    assertThat(lines.continuesRecord()).isTrue();
    assertThat(lines.parse("Unrecognized option: --fast", "stderr")).isNotNull();
    assertThat(lines.parse("retrying", "stderr")).isNull();
    assertThat(lines.parse("Error: A fatal exception has occurred. Program will exit.", "stderr"))
        .as("the refused option's error ended at the line that was not its own").isNull();
    assertThat(lines.parse("Error rate: 0.3", "stdout")).isNull();
    assertThat(lines.parse("Invalid frame: 12", "stdout")).isNull();
  }

  private Path compiled(String name, String source) throws Exception {
    Path file = folder.resolve(name + ".java");
    Files.writeString(file, source);
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", folder.toString(), file.toString());
    assertThat(status).as("javac").isZero();
    return folder.resolve(name + ".class");
  }

  private List<StoredRecord> run(String worker, String... command) throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Cli.Result result = WrappedWorkers.heartlogRun(folder, worker, url, List.of(), command);
    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    List<StoredRecord> records = new ArrayList<>(WrappedWorkers.records(store, worker));
    records.removeIf(record -> record.message().startsWith("heartlog run") || record.message().startsWith("the worker process exited"));
    return records;
  }
}
