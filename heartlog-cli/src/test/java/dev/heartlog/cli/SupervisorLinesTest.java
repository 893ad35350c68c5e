package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * supervisord's own lines ({@link SupervisorLines}), as supervisord 4.2.5 (Debian's) printed them
 * with {@code nodaemon=true}, running a worker that exited with status 3 and a program whose
 * command does not exist, read by {@link ChildLineParser}.
 */
class SupervisorLinesTest {

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.INFO, "stdout");
  }

  /** Stored whole at the stream's level before: supervisord's names for its levels are its own. */
  @Test
  void supervisordsOwnLevelNamesAreItsLevels() {
    ChildLineParser.Parsed root = parse("2026-12-07 17:43:45,763 CRIT Supervisor is running as root.  Privileges were not "
        + "dropped because no user is specified in the config file.");

    assertThat(root.level()).isEqualTo(Level.CRITICAL);
    assertThat(root.message()).startsWith("Supervisor is running as root.");
    assertThat(root.metadata()).containsEntry("component", "supervisord");
    assertThat(List.of("ERRO", "DEBG", "TRAC", "BLAT"))
        .extracting(name -> parse("2026-12-07 17:43:45,763 " + name + " pool listener buffer overflowed").level())
        .containsExactly(Level.ERROR, Level.DEBUG, Level.DEBUG, Level.DEBUG);
    assertThat(parse("2026-12-07 17:43:45,765 INFO supervisord started with pid 13260").level()).isEqualTo(Level.INFO);
  }

  /**
   * supervisord says at INFO (WARN for an exit in 4.2) that a program died and was given up on:
   * among a busy worker's lines, not an error. They are now, with the program named.
   */
  @Test
  void aProgramThatDiedOrWasGivenUpOnIsAnErrorOfThatProgram() {
    Map<String, Level> levels = Map.of(
        "2026-12-07 17:43:48,645 WARN exited: worker (exit status 3; not expected)", Level.ERROR,
        "2026-12-07 17:43:48,645 INFO exited: worker (terminated by SIGKILL; not expected)", Level.ERROR,
        "2026-12-07 17:43:47,136 INFO gave up: missing entered FATAL state, too many start retries too quickly", Level.ERROR,
        "2026-12-07 17:45:02,001 INFO killed: worker (terminated by SIGKILL)", Level.WARNING,
        "2026-12-07 17:43:48,645 INFO exited: worker (exit status 0; expected)", Level.INFO,
        "2026-12-07 17:43:46,774 INFO spawned: 'worker' with pid 13261", Level.INFO,
        "2026-12-07 17:43:48,138 INFO success: worker entered RUNNING state, process has stayed up for > than 1 seconds "
            + "(startsecs)", Level.INFO,
        "2026-12-07 17:44:20,111 WARN stopped: comfyui:comfyui_00 (exit status 3)", Level.WARNING);

    levels.forEach((line, level) -> {
      ChildLineParser.Parsed parsed = parse(line);
      assertThat(parsed.level()).as(line).isEqualTo(level);
      assertThat(parsed.message()).as(line).isEqualTo(line.substring(line.indexOf(' ', 24) + 1));
      assertThat(parsed.metadata()).as(line).containsEntry("component", "supervisord")
          .containsEntry("program", line.contains("missing") ? "missing" : line.contains("comfyui") ? "comfyui:comfyui_00" : "worker");
    });
    ChildLineParser.Parsed spawnError = parse("2026-12-07 17:43:46,767 INFO spawnerr: can't find command '/app/no-such-worker'");
    assertThat(spawnError.level()).isEqualTo(Level.ERROR);
    assertThat(spawnError.metadata()).containsEntry("component", "supervisord").doesNotContainKey("program");
  }

  /** A worker's own line of the same shape, whose words are not one of supervisord's reports. */
  @Test
  void aWorkersOwnLineIsNotTakenForOneOfSupervisordsReports() {
    assertThat(List.of(
            "2026-12-07 17:43:47,136 INFO gave up: retrying the upload later",
            "2026-12-07 17:43:47,136 INFO stopped: queue drained",
            "2026-12-07 17:43:47,136 INFO exited: the render loop"))
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(line);
          assertThat(parsed.level()).as(line).isEqualTo(Level.INFO);
          assertThat(parsed.metadata()).as(line).doesNotContainKey("component").doesNotContainKey("program");
        });
    ChildLineParser.Parsed worker = parse("2026-12-07 17:43:48,635 ERROR worker - CUDA out of memory, exiting");
    assertThat(worker.level()).isEqualTo(Level.ERROR);
    assertThat(worker.metadata()).containsEntry("logger", "worker").doesNotContainKey("component");
  }
}
