package dev.heartlog.cli;

/**
 * The command a user typed to run heartlog, for the commands heartlog prints for them to copy:
 * {@code bin/heartlog} in the checkout, {@code /opt/heartlog/bin/heartlog} from elsewhere,
 * {@code heartlog} where it is on the PATH. {@code bin/heartlog} says how it was called in
 * {@code HEARTLOG_COMMAND}; a JVM started otherwise ({@code java -jar heartlog.jar}) prints
 * {@code heartlog}, the name the README gives.
 */
final class Launcher {

  /** Set by {@code bin/heartlog}: the path it was called by, or its name where the PATH found it. */
  static final String VARIABLE = "HEARTLOG_COMMAND";

  private Launcher() {}

  /** The command as a shell reads it back: a path with a space in it is quoted. */
  static String command() {
    String typed = System.getenv(VARIABLE);
    return typed == null || typed.isBlank() ? "heartlog" : RecordText.shellWord(typed);
  }
}
