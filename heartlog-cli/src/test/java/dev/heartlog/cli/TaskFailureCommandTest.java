package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The failure {@code heartlog task} prints below a failed task's timeline, which prints no stack
 * traces: the last error, with its exception, or where it has none (a worker's closing {@code Task
 * failed} line after the {@code logger.exception} that logged why), the last error's before it
 * that had one.
 */
@Timeout(60)
class TaskFailureCommandTest {

  private static String url;

  @BeforeAll
  static void fill() {
    url = TestDatabase.migratedUrlFilledBy("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata, seq)
        VALUES
          ('2026-11-27 10:00:00Z', 'INFO', 'Starting task', 'worker', 'gpu-1', 'closing-line', '{}', 1),
          ('2026-11-27 10:00:01Z', 'ERROR', 'upload failed, retrying', 'worker', 'gpu-1', 'closing-line',
           '{"exception": "Traceback (most recent call last):\\nConnectionError: reset by peer"}', 2),
          ('2026-11-27 10:00:02Z', 'ERROR', 'render failed for frame 2', 'worker', 'gpu-1', 'closing-line',
           '{"exception": "Traceback (most recent call last):\\n  File \\"w.py\\", line 12\\nKeyError: ''x''"}', 3),
          ('2026-11-27 10:00:03Z', 'INFO', 'cleaning up', 'worker', 'gpu-1', 'closing-line', '{}', 4),
          ('2026-11-27 10:00:04Z', 'ERROR', 'Task failed', 'worker', 'gpu-1', 'closing-line', '{}', 5),
          ('2026-11-27 11:00:00Z', 'ERROR', 'first attempt failed', 'worker', 'gpu-1', 'own-trace',
           '{"exception": "java.io.IOException: first"}', 6),
          ('2026-11-27 11:00:01Z', 'ERROR', 'gave up', 'worker', 'gpu-1', 'own-trace',
           '{"exception": "java.io.IOException: last"}', 7),
          ('2026-11-27 12:00:00Z', 'ERROR', 'disk full', 'worker', 'gpu-1', 'no-trace', '{}', 8),
          ('2026-11-27 12:00:01Z', 'WARNING', 'retrying', 'worker', 'gpu-1', 'no-trace',
           '{"exception": "java.io.IOException: a warning''s"}', 9),
          ('2026-11-27 13:00:00Z', 'ERROR', 'render failed', 'worker', 'gpu-1', 'blank-trace',
           '{"exception": "Traceback (most recent call last):\\nKeyError: ''frames''"}', 10),
          ('2026-11-27 13:00:01Z', 'ERROR', 'frame 3 failed', 'worker', 'gpu-1', 'blank-trace', '{"exception": ""}', 11),
          ('2026-11-27 13:00:02Z', 'ERROR', 'Task failed', 'worker', 'gpu-1', 'blank-trace', '{"exception": " "}', 12)""");
  }

  private static String failure(String task) {
    Cli.Result result = Cli.run("task", task, "--db-url", url);
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("FAILED");
    return result.out().substring(result.out().indexOf("Failure:"));
  }

  @Test
  void aClosingErrorWithoutAStackTraceIsShownWithTheLastErrorsBeforeItThatHadOne() throws Exception {
    String nl = System.lineSeparator();
    String explaining = TestDatabase.single(url, "SELECT id FROM system_logs WHERE message = 'render failed for frame 2'");
    assertThat(failure("closing-line")).isEqualTo("Failure:" + nl
        + "  2026-11-27 10:00:04.000000Z  ERROR     gpu-1  [task closing-line]  Task failed" + nl
        + "  (no stack trace; the task's last error that had one:)" + nl
        + "  2026-11-27 10:00:02.000000Z  ERROR     gpu-1  [task closing-line]  render failed for frame 2" + nl
        + "    Traceback (most recent call last):" + nl
        + "      File \"w.py\", line 12" + nl
        + "    KeyError: 'x'" + nl
        + "  Kind " + kindListed("KeyError: 'x'") + "; where else it was made: heartlog errors --kind " + kindListed("KeyError: 'x'")
        + " --since 2026-11-27T09:00:02Z --until 2026-11-27T11:00:02Z --db-url '" + url + "'" + nl
        + "  Its worker's records around it, across tasks: heartlog logs --worker gpu-1 --around " + explaining
        + " --db-url '" + url + "'" + nl);
  }

  @Test
  void theRecordsAroundTheErrorThatExplainsAFailureReachIntoTheNextTask() throws Exception {
    String explaining = TestDatabase.single(url, "SELECT id FROM system_logs WHERE message = 'render failed for frame 2'");
    String hint = failure("closing-line").lines().reduce((first, second) -> second).orElseThrow();

    // The command as printed, run as a shell would split it: it reads the same store.
    List<String> words = shellWords(hint.substring(hint.indexOf("heartlog logs ") + "heartlog ".length()));
    assertThat(words).containsSequence("--around", explaining);
    List<String> args = new java.util.ArrayList<>(words);
    args.addAll(List.of("--context", "3", "--no-stack-traces"));
    Cli.Result around = Cli.run(args.toArray(String[]::new));

    assertThat(around.exitCode()).as(around.err()).isZero();
    assertThat(around.out().lines().map(line -> line.replaceAll(".*\\]  ", ""))).containsExactly(
        "Starting task", "upload failed, retrying", "-- record " + explaining + " --", "render failed for frame 2",
        "cleaning up", "Task failed", "first attempt failed");
  }

  @Test
  void theKindAFailureNamesListsTheTaskAmongWhereItWasMade() {
    String kind = kindListed("KeyError: 'x'");

    Cli.Result where = Cli.run("errors", "--kind", kind, "--since", "2026-11-27T09:00:02Z", "--until", "2026-11-27T11:00:02Z",
        "--db-url", url);

    assertThat(where.exitCode()).as(where.err()).isZero();
    assertThat(where.out()).contains("closing-line ");
  }

  /** The id {@code heartlog errors} gives the kind whose line holds {@code text}, of the morning's errors. */
  private static String kindListed(String text) {
    Cli.Result kinds = Cli.run("errors", "--since", "2026-11-27T09:00:00Z", "--until", "2026-11-27T14:00:00Z", "--db-url", url);
    assertThat(kinds.exitCode()).as(kinds.err()).isZero();
    return kinds.out().lines().filter(line -> line.contains(text)).findFirst().orElseThrow().substring(0, 8);
  }

  @Test
  void aFailureWithItsOwnStackTraceIsShownWithItAlone() {
    assertThat(failure("own-trace")).contains("gave up", "java.io.IOException: last")
        .doesNotContain("first", "no stack trace");
  }

  @Test
  void anEmptyStackTraceIsNoneAndTheLastErrorsBeforeItThatHadOneIsShown() {
    assertThat(failure("blank-trace")).contains("Task failed", "no stack trace", "render failed", "KeyError: 'frames'")
        .doesNotContain("frame 3 failed");
  }

  @Test
  void aWarningsStackTraceIsNoErrorsAndAFailureWithoutAnyIsShownAlone() {
    assertThat(failure("no-trace")).contains("disk full").doesNotContain("IOException", "no stack trace");
  }

  /** The words of a command line as a POSIX shell splits it, for commands quoted with '...'. */
  private static List<String> shellWords(String line) {
    List<String> words = new java.util.ArrayList<>();
    StringBuilder word = null;
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
        word = word == null ? new StringBuilder() : word;
      } else if (c == ' ' && !quoted) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = (word == null ? new StringBuilder() : word).append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
