package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Python worker prints long lines that regular expressions which repeat a group overflow
 * the stack on. Before, a line of 30,000 {@code a.} (60,000 characters, under the 64 KiB a line
 * keeps) overflowed the stdout reader's stack in the test for an exception line: the thread
 * ended, the pipe closed, and the worker died of a broken pipe at its next print, exit code 1,
 * its later lines lost.
 */
@Timeout(120)
class LongLinesTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String DOTTED = "a.".repeat(30_000) + "a";

  @TempDir Path folder;

  @Test
  void aLongDottedLineIsARecordAndTheWorkerGoesOn() throws Exception {
    List<StoredRecord> stored = run("long-dotted", List.of(), DOTTED, "the last line");

    assertThat(stored).extracting(StoredRecord::message).containsExactly(DOTTED, "the last line");
  }

  /**
   * A format of the user's own may repeat a group too ({@code --line-format}): a line it overflows
   * on is stored as printed, as a line any reader fails on is, and the reading goes on.
   */
  @Test
  void aLineTheUsersFormatOverflowsOnIsStoredAsPrinted() throws Exception {
    List<StoredRecord> stored = run("long-own-format", List.of("--line-format", "(?<message>(?:a+\\.)+a)"),
        DOTTED, "the last line");

    assertThat(stored).extracting(StoredRecord::message)
        .contains(DOTTED, "the last line")
        .anyMatch(message -> message.startsWith("heartlog run could not read a line of the worker's stdout")
            && message.contains("StackOverflowError"));
  }

  /**
   * A format of the user's own that backtracks exponentially on a line it does not match: 36 s
   * for 24 fields (with {@code -Xint}), far longer for these 40, the worker waiting on its pipe
   * meanwhile. Past {@link UserPattern#BUDGET} the line is stored as printed, and the reading goes
   * on. Its groups are reluctant, so the line it matches takes 47 reads of a character: the
   * greedy {@code (.*,){12}} takes 98,264 on it, 60 ms without the JIT, and on a loaded machine
   * that line too ran past the budget (seen once in CI).
   */
  @Test
  void aLineTheUsersFormatTakesTooLongOnIsStoredAsPrinted() throws Exception {
    String fields = "a,".repeat(40);
    List<StoredRecord> stored = run("slow-own-format", List.of("--line-format", "^(.*?,){12}(?<message>P.*)$"),
        "a,".repeat(13) + "Pfirst", fields, "the last line");

    assertThat(stored).extracting(StoredRecord::message)
        .contains("Pfirst", fields, "the last line")
        .anyMatch(message -> message.startsWith("heartlog run: --line-format took more than 100 ms on a line of the worker's stdout"));
  }

  /** Runs a Python worker printing {@code lines} on stdout under {@code heartlog run}; its records. */
  private List<StoredRecord> run(String worker, List<String> options, String... lines) throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Path script = folder.resolve("print_lines.py");
    Files.writeString(script, "import sys\nfor line in sys.argv[1:]:\n    print(line, flush=True)\n");
    List<String> args = new java.util.ArrayList<>(List.of("run", "--worker", worker, "--db-url", url,
        "--home", folder.resolve("home").toString()));
    args.addAll(options);
    args.addAll(List.of("--", PYTHON.toString(), script.toString()));
    args.addAll(List.of(lines));

    Cli.Result result = Cli.run(args.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.err()).isZero();
    return Store.open(url, null, null).logs(new LogFilter(worker, null, null, null, null, null, 100)).stream()
        .filter(record -> !String.valueOf(record.metadataJson()).contains(RunCommand.OWN_LOGGER)
            || record.message().startsWith("heartlog run could not read") || record.message().contains("took more than"))
        .toList();
  }
}
