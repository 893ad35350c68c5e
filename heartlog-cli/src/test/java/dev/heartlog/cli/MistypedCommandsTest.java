package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.NearNames;
import org.junit.jupiter.api.Test;

/**
 * A mistyped command or flag is named alone, with the ones it was likely meant to be: exit code
 * 2, as for any bad flag, and nothing read from a store.
 */
class MistypedCommandsTest {

  @Test
  void aMistypedFlagIsNamedWithoutItsValueAndWithTheFlagItWasMeantToBe() {
    Cli.Result swapped = Cli.run("logs", "--wroker", "gpu-1");
    Cli.Result withValue = Cli.run("logs", "--wroker=gpu-1");
    Cli.Result missingLetter = Cli.run("tasks", "--faild");

    assertThat(swapped.exitCode()).isEqualTo(2);
    assertThat(swapped.err().lines()).containsExactly(
        "heartlog: unknown option '--wroker'; did you mean --worker?",
        "Try 'heartlog logs --help' for the options.");
    assertThat(withValue.err().lines()).first().isEqualTo("heartlog: unknown option '--wroker'; did you mean --worker?");
    assertThat(missingLetter.exitCode()).isEqualTo(2);
    assertThat(missingLetter.err().lines()).first().isEqualTo("heartlog: unknown option '--faild'; did you mean --failed?");
  }

  @Test
  void aMistypedCommandIsNamedWithTheCommandsItWasMeantToBe() {
    Cli.Result begun = Cli.run("work");
    Cli.Result swapped = Cli.run("lgos", "--limit", "5");
    Cli.Result farOff = Cli.run("xyz");
    Cli.Result below = Cli.run("grant", "wrtier", "render-worker", "--workers", "gpu-");

    assertThat(begun.exitCode()).isEqualTo(2);
    assertThat(begun.err().lines()).containsExactly(
        "heartlog: 'work' is not a heartlog command; did you mean worker or workers?",
        "Try 'heartlog --help' for the options.");
    assertThat(swapped.err().lines()).first().isEqualTo("heartlog: 'lgos' is not a heartlog command; did you mean logs?");
    assertThat(farOff.exitCode()).isEqualTo(2);
    assertThat(farOff.err().lines()).first().isEqualTo("heartlog: 'xyz' is not a heartlog command");
    assertThat(below.exitCode()).isEqualTo(2);
    assertThat(below.err().lines()).containsExactly(
        "heartlog: 'wrtier' is not a heartlog grant command; did you mean writer?",
        "Try 'heartlog grant --help' for the options.");
  }

  @Test
  void helpNamesACommandsOptions() {
    Cli.Result help = Cli.run("help", "logs");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).startsWith("Usage: heartlog logs ").contains("--worker=ID");
  }

  @Test
  void nearNamesCountASwapOfNeighboursAsOneEdit() {
    assertThat(NearNames.distance("lgos", "logs")).isEqualTo(1);
    assertThat(NearNames.distance("wroker", "worker")).isEqualTo(1);
    assertThat(NearNames.distance("faild", "failed")).isEqualTo(1);
    assertThat(NearNames.distance("xyz", "logs")).isEqualTo(4);
  }
}
