package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * supervisord's own lines, where a container runs its worker and the services beside it under
 * supervisord and {@code heartlog run} wraps supervisord ({@code heartlog run -- supervisord
 * -n}): {@code 2026-12-07 12:00:00,123 INFO spawned: 'worker' with pid 42}. {@link
 * LoggerFormats#timeThenLevel} reads the time and the level, in supervisord's names too (CRIT,
 * ERRO, DEBG, TRAC and BLAT, which it could not before, and stored the line whole at the stream's
 * level); here, its level's name and what its reports of its programs say.
 *
 * <p>supervisord reports its programs' starts and exits, and its giving up on one, at INFO (4.2
 * an exit with an unexpected code at WARN): a worker that died and was restarted was a line among
 * thousands of its level. Here a program that exited when it was not expected to ({@code exited:
 * worker (exit status 3; not expected)}), one given up on ({@code gave up: worker entered FATAL
 * state, too many start retries too quickly}) and a command that could not be started ({@code
 * spawnerr: can't find command '/app/worker'}) are errors, and one killed after it would not stop
 * a warning. A report's program goes into {@code program}, and every such line's {@code
 * component} is {@code supervisord}.
 */
final class SupervisorLines {

  /** The names supervisord prints for its levels that no other logger heartlog reads prints. */
  static final String OWN_LEVEL_NAMES = "CRIT|ERRO|DEBG|TRAC|BLAT";

  /** A report of a program's, as supervisord words each: the program, and how it ended. */
  private static final Pattern PROGRAM_REPORT = Pattern.compile(
      "spawned: '(?<spawned>[^']{1,200})' with pid \\d{1,10}"
          + "|success: (?<running>\\S{1,200}) entered RUNNING state, .*"
          + "|(?<ended>exited|stopped|killed): (?<program>\\S{1,200}) \\((?<how>.{1,200})\\)"
          + "|gave up: (?<fatal>\\S{1,200}) entered FATAL state, .*");

  private SupervisorLines() {}

  /** The level of one of supervisord's own names for it ({@link #OWN_LEVEL_NAMES}); null for any other word. */
  static Level level(String name) {
    return switch (name) {
      case "CRIT" -> Level.CRITICAL;
      case "ERRO" -> Level.ERROR;
      case "DEBG", "TRAC", "BLAT" -> Level.DEBUG;
      default -> null;
    };
  }

  /**
   * The level of supervisord's line of this message, where it is one of its reports of a
   * program (its program and component put in {@code metadata}); {@code level} for any other.
   */
  static Level report(String message, Level level, RecordMetadata metadata) {
    if (message.startsWith("spawnerr: ")) {
      metadata.put("component", "supervisord");
      return Level.ERROR;
    }
    char first = message.isEmpty() ? ' ' : message.charAt(0);
    if (first != 's' && first != 'e' && first != 'k' && first != 'g') {
      return level;
    }
    Matcher report = PROGRAM_REPORT.matcher(message);
    if (!report.matches()) {
      return level;
    }
    metadata.put("component", "supervisord");
    if (report.group("fatal") != null) {
      metadata.put("program", report.group("fatal"));
      return Level.ERROR;
    }
    if (report.group("ended") == null) {
      metadata.put("program", report.group("spawned") != null ? report.group("spawned") : report.group("running"));
      return level;
    }
    metadata.put("program", report.group("program"));
    return switch (report.group("ended")) {
      case "exited" -> report.group("how").endsWith("; not expected") ? Level.ERROR : level;
      case "killed" -> Level.WARNING;
      default -> level;
    };
  }
}
