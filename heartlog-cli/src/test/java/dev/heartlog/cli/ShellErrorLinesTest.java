package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start script's errors, as heartlog run stores them ({@link ShellErrorLines}): real scripts run
 * by Debian 12's bash (5.2.15) and dash (0.5.12), and the coreutils and Python they run. Before,
 * every one of these lines was a warning.
 */
class ShellErrorLinesTest {

  @TempDir Path folder;

  @Test
  void bashsErrorsAreErrorsOfTheScriptAndACommandNotFoundIsNamed() throws Exception {
    Path script = script("entrypoint.sh", """
        ffmpegg -i in.mp4 out.mp4
        cd /nonexistent-heartlog-data
        : $((3 / 0))
        set -u
        echo "$MODEL_NAME"
        """);

    List<StoredRecord> records = run("bash-errors", "/bin/bash", script.toString());

    String name = script.toString();
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", name + ": line 1: ffmpegg: command not found"),
        tuple("ERROR", name + ": line 2: cd: /nonexistent-heartlog-data: No such file or directory"),
        tuple("ERROR", name + ": line 3: 3 / 0: division by 0 (error token is \"0\")"),
        tuple("ERROR", name + ": line 5: MODEL_NAME: unbound variable"));
    assertThat(records.get(0).metadataJson()).contains("\"component\": \"" + name + "\"", "\"command\": \"ffmpegg\"");
    assertThat(records.get(1).metadataJson()).doesNotContain("\"command\"");
  }

  /**
   * bash's errors with no line, as bash 5.2.15 printed them run with {@code bash -c} from a shell
   * of this machine's (run by heartlog run, the same commands printed {@code bash: line 1: ...}).
   */
  @Test
  void bashsErrorsWithNoLineAreErrorsOfBash() {
    ChildLineParser.Parsed unbound = ShellErrorLines.parse("bash: MODEL_NAME: unbound variable", new RecordMetadata(1));
    ChildLineParser.Parsed cd = ShellErrorLines.parse("bash: cd: /nonexistent-heartlog-data: No such file or directory",
        new RecordMetadata(1));
    ChildLineParser.Parsed readonly = ShellErrorLines.parse("/bin/bash: QUEUE: readonly variable", new RecordMetadata(1));

    assertThat(List.of(unbound, cd, readonly)).extracting(ChildLineParser.Parsed::level).containsOnly(Level.ERROR);
    assertThat(unbound.metadata()).containsEntry("component", "bash");
    assertThat(readonly.metadata()).containsEntry("component", "/bin/bash");
    // another program's line of the same shape is not bash's
    assertThat(ShellErrorLines.parse("render: MODEL_NAME: unbound variable", new RecordMetadata(1))).isNull();
  }

  @Test
  void dashsErrorsAreErrorsToo() throws Exception {
    Path script = script("start.sh", """
        ffmpegg -i in.mp4 out.mp4
        cd /nonexistent-heartlog-data
        echo "$MODEL_NAME" ${MODEL_NAME?is not set}
        """);

    List<StoredRecord> records = run("dash-errors", "/bin/sh", script.toString());

    String name = script.toString();
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", name + ": 1: ffmpegg: not found"),
        tuple("ERROR", name + ": 2: cd: can't cd to /nonexistent-heartlog-data"),
        tuple("ERROR", name + ": 3: MODEL_NAME: is not set"));
    assertThat(records.get(0).metadataJson()).contains("\"command\": \"ffmpegg\"");
  }

  /** A worker in Python running a command with {@code shell=True}: dash's error, under {@code /bin/sh}. */
  @Test
  void aCommandAPythonWorkerRanThroughTheShellThatIsNotFound() throws Exception {
    List<StoredRecord> records = run("python-shell", "python3", "-c",
        "import subprocess; subprocess.run('ffmpegg -y out.mp4', shell=True); print('next shot', flush=True)");

    // two streams: which line is stored first is the readers' race
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactlyInAnyOrder(
        tuple("ERROR", "/bin/sh: 1: ffmpegg: not found"),
        tuple("INFO", "next shot"));
    assertThat(records).filteredOn(record -> record.level().equals("ERROR")).singleElement().extracting(StoredRecord::metadataJson).asString().contains("\"component\": \"/bin/sh\"", "\"command\": \"ffmpegg\"");
  }

  /** bash prints the source line below its syntax error; one record, even when it came in a read of its own. */
  @Test
  void bashsSyntaxErrorIsOneRecordWithItsSourceLine() throws Exception {
    Path script = script("broken.sh", """
        if true; then
          echo rendering
        fi fi
        """);

    List<StoredRecord> records = run("bash-syntax", "/bin/bash", script.toString());

    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", script + ": line 3: syntax error near unexpected token `fi'\n" + script + ": line 3: `fi fi'"));
  }

  /** The same two lines as bash printed them, read apart: still one record. */
  @Test
  void bashsSyntaxErrorReadApartFromItsSourceLineIsStillOneRecord() throws Exception {
    List<StoredRecord> records = run("bash-syntax-apart", "/bin/sh", "-c",
        "echo \"broken.sh: line 3: syntax error near unexpected token \\`fi'\" >&2; sleep 0.1; "
            + "echo \"broken.sh: line 3: \\`fi fi'\" >&2; echo 'start.sh: line 9: cd: /data: No such file or directory' >&2");

    // Before, the source line was a warning of its own.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "broken.sh: line 3: syntax error near unexpected token `fi'\nbroken.sh: line 3: `fi fi'"),
        tuple("ERROR", "start.sh: line 9: cd: /data: No such file or directory"));
  }

  @Test
  void aProgramsFailedCallIsAnErrorOfThatProgram() throws Exception {
    Path script = script("fetch.sh", """
        cp /nonexistent-heartlog-models/x.bin /tmp/
        mkdir /proc/heartlog
        python3 /nonexistent-heartlog-worker.py
        """);

    List<StoredRecord> records = run("failed-calls", "/bin/bash", script.toString());

    assertThat(records).extracting(StoredRecord::level).containsExactly("ERROR", "ERROR", "ERROR");
    assertThat(records.get(0).message()).isEqualTo("cp: cannot stat '/nonexistent-heartlog-models/x.bin': No such file or directory");
    assertThat(records.get(0).metadataJson()).contains("\"component\": \"cp\"");
    assertThat(records.get(1).message()).startsWith("mkdir: cannot create directory ").endsWith(": No such file or directory");
    // Python names itself by its path: the component is the program's name without its folder
    assertThat(records.get(2).message()).endsWith("can't open file '/nonexistent-heartlog-worker.py': [Errno 2] No such file or directory");
    assertThat(records.get(2).metadataJson()).containsPattern("\"component\": \"python3[.0-9]*\"");
  }

  /** The dynamic loader's, as glibc 2.36 printed it for a program built against a library the machine lacks. */
  @Test
  void aLibraryTheMachineLacksIsAnErrorOfTheProgram() {
    ChildLineParser.Parsed missing = ShellErrorLines.parse("./gpuworker: error while loading shared libraries: "
        + "libcudartx.so: cannot open shared object file: No such file or directory", new RecordMetadata(1));

    assertThat(missing.level()).isEqualTo(Level.ERROR);
    assertThat(missing.metadata()).containsEntry("component", "gpuworker");
  }

  /** Python given a module or a folder it cannot run: {@code python3 -m worker}, where the worker was not installed. */
  @Test
  void pythonThatCannotRunWhatItWasGivenIsAnError() throws Exception {
    Files.createDirectory(folder.resolve("app"));

    List<StoredRecord> module = run("python-no-module", "python3", "-m", "nonexistent_heartlog_worker");
    List<StoredRecord> inPackage = run("python-no-package", "python3", "-m", "nonexistent_heartlog.worker");
    List<StoredRecord> noMain = run("python-no-main", "python3", folder.resolve("app").toString());

    assertThat(module).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("ERROR");
      assertThat(record.message()).endsWith(": No module named nonexistent_heartlog_worker");
      assertThat(record.metadataJson()).containsPattern("\"component\": \"python3[.0-9]*\"");
    });
    assertThat(inPackage).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("ERROR");
      assertThat(record.message()).endsWith(": Error while finding module specification for 'nonexistent_heartlog.worker' "
          + "(ModuleNotFoundError: No module named 'nonexistent_heartlog')");
    });
    assertThat(noMain).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("ERROR");
      assertThat(record.message()).endsWith(": can't find '__main__' module in '" + folder.resolve("app") + "'");
    });
  }

  /** bash's warnings, and what it says run without a terminal, as a container runs {@code bash -i}, stay warnings. */
  @Test
  void bashsWarningsAndItsNotesOnNoTerminalAreWarnings() throws Exception {
    Path script = script("heredoc.sh", """
        cat <<EOF
        rendering
        """);

    List<StoredRecord> warned = run("bash-warning", "/bin/bash", script.toString());
    List<StoredRecord> interactive = run("bash-interactive", "/bin/bash", "-i", "-c", "true");

    // two streams: which line is stored first is the readers' race
    assertThat(warned).extracting(StoredRecord::level, StoredRecord::message).containsExactlyInAnyOrder(
        tuple("INFO", "rendering"),
        tuple("WARNING", script + ": line 2: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')"));
    assertThat(interactive).extracting(StoredRecord::level).isNotEmpty().containsOnly("WARNING");
    assertThat(interactive).extracting(StoredRecord::message).last().isEqualTo("bash: no job control in this shell");
  }

  /** A test's error makes the test false, and the script goes on: bash's and dash's, as they printed them. */
  @Test
  void aTestsErrorIsAWarning() {
    ChildLineParser.Parsed bash = ShellErrorLines.parse("./e.sh: line 7: [: a: integer expression expected", new RecordMetadata(1));
    ChildLineParser.Parsed dash = ShellErrorLines.parse("/usr/bin/chromium: 9: [: 25265758208: unexpected operator",
        new RecordMetadata(1));

    assertThat(List.of(bash, dash)).extracting(ChildLineParser.Parsed::level).containsOnly(Level.WARNING);
    assertThat(dash.metadata()).containsEntry("component", "/usr/bin/chromium");
  }

  @Test
  void aWorkersOwnLineThatOnlyLooksSoIsNoError() {
    assertThat(ShellErrorLines.parse("progress: 50: frames done", new RecordMetadata(1))).isNull();
    assertThat(ShellErrorLines.parse("Checking /data: No such file or directory", new RecordMetadata(1))).isNull();
    assertThat(ShellErrorLines.parse("worker: upload: Broken pipe", new RecordMetadata(1))).isNull();
    assertThat(ShellErrorLines.parse("bash: line 1: kill: (4242) - No such process", new RecordMetadata(1)))
        .isNotNull();   // bash's own, though: its builtin's error
    assertThat(ShellErrorLines.parse("kill: (4242) - No such process", new RecordMetadata(1))).isNull();
    assertThat(ShellErrorLines.parse("mesg: ttyname failed: Inappropriate ioctl for device", new RecordMetadata(1)))
        .isNull();
    assertThat(ShellErrorLines.parse("render config: line 3: ok", new RecordMetadata(1))).isNull();
    assertThat(ShellErrorLines.parse("frames: No such file or directory yet", new RecordMetadata(1))).isNull();
    // a file and its error, no program named (ffmpeg's)
    assertThat(ShellErrorLines.parse("/srv/app/missing.mp4: No such file or directory", new RecordMetadata(1))).isNull();
    assertThat(ShellErrorLines.parse("worker: No module named render, using the default", new RecordMetadata(1)))
        .as("no interpreter's").isNull();
    // an exception's line, which the traceback reader reads, is no program's
    assertThat(ShellErrorLines.parse("OSError: [Errno 28] No space left on device", new RecordMetadata(1))).isNull();
    assertThat(ShellErrorLines.parse("io.grpc.StatusRuntimeException: UNAVAILABLE: io exception: Connection refused",
        new RecordMetadata(1))).isNull();
  }

  private Path script(String name, String text) throws Exception {
    Path script = folder.resolve(name);
    Files.writeString(script, text);
    return script;
  }

  private List<StoredRecord> run(String worker, String... command) throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    WrappedWorkers.heartlogRun(folder, worker, url, List.of(), command);
    return WrappedWorkers.records(store, worker).stream()
        .filter(record -> !record.message().startsWith("heartlog run"))
        .filter(record -> !record.message().startsWith("the worker process exited")).toList();
  }
}
