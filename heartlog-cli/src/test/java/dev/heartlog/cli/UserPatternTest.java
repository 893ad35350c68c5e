package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartlog.agent.Level;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Patterns the user gives {@code heartlog run} are matched within {@link UserPattern#BUDGET};
 * heartlog's own defaults as they are.
 */
// Without the budget, the first test's match runs for hours, deaf to interrupts: on a thread of
// its own, the test fails after 30 s instead of holding the build.
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UserPatternTest {

  /** A CSV line of 40 fields: {@code ^(.*,){12}P} tries every way of cutting it into 12 (6.6 s for 32). */
  private static final String FIELDS = "a,".repeat(40);

  @Test
  void aMatchPastTheBudgetIsCutNamingItsOption() {
    ChildLineParser parser = new ChildLineParser("^(.*,){12}(?<message>P.*)$", "(.*,){12}done");

    assertThatThrownBy(() -> parser.parse(FIELDS, Level.INFO, "stdout")).isInstanceOf(UserPattern.TooSlow.class)
        .hasMessage("--line-format took more than 100 ms on a line");
    assertThatThrownBy(() -> parser.endsTask(FIELDS)).isInstanceOf(UserPattern.TooSlow.class)
        .hasMessage("--task-end took more than 100 ms on a line");
  }

  @Test
  void withinTheBudgetAMatchReadsItsGroupsAsBefore() {
    // A pattern that reads the line once: one that backtracks (^(.*,){12}...) took 193 ms here
    // on a line of 13 commas in a cold JVM while two other test JVMs ran, and failed the test.
    ChildLineParser parser = new ChildLineParser("^([^,]*,){12}(?<level>[A-Z]+) (?<message>.*)$", "(?i)all done");

    ChildLineParser.Parsed parsed = parser.parse("a,".repeat(12) + "ERROR disk full, all done", Level.INFO, "stdout");

    assertThat(parsed.level()).isEqualTo(Level.ERROR);
    assertThat(parsed.message()).isEqualTo("disk full, all done");
    assertThat(parsed.endsTask()).isTrue();
  }

  @Test
  void aTaskEndThatMatchesAnEmptyTextIsRefusedForItWouldEndTheTaskAtEveryLine() {
    for (String taskEnd : List.of("", "x*", "(?i)done|")) {
      Cli.Result result = Cli.run("run", "--worker", "w", "--db-url", "jdbc:postgresql://127.0.0.1:9/none",
          "--task-end", taskEnd, "--", "true");

      assertThat(result.exitCode()).as(taskEnd).isEqualTo(2);
      assertThat(result.err()).as(taskEnd)
          .startsWith("heartlog: --task-end '" + taskEnd + "' matches an empty text, so every line would end the current task");
    }
  }

  @Test
  void heartlogsOwnDefaultsAreMatchedWithoutTheBudget() {
    UserPattern seed = new UserPattern(ChildLineParser.SEED_FORMAT, "--line-format", false);

    assertThat(seed.matcher("[12:00:00] INFO worker [Task t-1] rendered").matches()).isTrue();
    assertThat(new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END)
        .parse(FIELDS, Level.INFO, "stdout").message()).isEqualTo(FIELDS);
  }
}
