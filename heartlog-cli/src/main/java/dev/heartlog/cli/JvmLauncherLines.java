package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import java.util.List;

/**
 * What the {@code java} launcher prints when a JVM worker cannot start, a deploy's mistake: the
 * error and the lines that say why, each written apart, and so each a record of its own (the
 * reason a warning). They are one ERROR, {@code component} {@code java}, its message the lines as
 * printed:
 *
 * <ul>
 *   <li>a main class not found, or not loaded, and the exception why: {@code Error: Could not find
 *       or load main class com.example.Worker} and {@code Caused by:
 *       java.lang.ClassNotFoundException: com.example.Worker}; {@code Error: LinkageError occurred
 *       while loading main class Worker} and, after a tab, {@code
 *       java.lang.UnsupportedClassVersionError: Worker has been compiled by a more recent version
 *       of the Java Runtime (class file version 65.0), ...}; {@code Error: Unable to initialize
 *       main class ...} and its {@code Caused by:};
 *   <li>no main method: {@code Error: Main method not found in class Worker, please define the
 *       main method as:} and the two lines after it;
 *   <li>an option the JVM refused ({@code Unrecognized VM option 'UseG1'}, {@code Unrecognized
 *       option: --add-opens=x}, {@code Invalid maximum heap size: -Xmx4q}, {@code Improperly
 *       specified VM option 'MaxRAMPercentage=x'}) and the launcher's {@code Error: Could not
 *       create the Java Virtual Machine.} and {@code Error: A fatal exception has occurred.
 *       Program will exit.}, where the option was a warning and each of these an error;
 *   <li>a heap the machine cannot give ({@code -Xmx} larger than a container allows): {@code Error
 *       occurred during initialization of VM} and {@code Could not reserve enough space for
 *       8388608KB object heap}, on stdout, where they were INFO.
 * </ul>
 *
 * The JVM's own last line when its heap ran out and a flag told it to end then, as containers'
 * JVMs are told ({@code -XX:+ExitOnOutOfMemoryError}: {@code Terminating due to
 * java.lang.OutOfMemoryError: Java heap space}, on stdout, and exit code 3; {@code
 * -XX:+CrashOnOutOfMemoryError}: {@code Aborting due to ...}), INFO before, is CRITICAL.
 *
 * <p>One instance reads one stream.
 */
final class JvmLauncherLines extends RecordsOfLines {

  /** The launcher's errors that the exception why follows, on a line of its own. */
  private static final List<String> CLASS_ERRORS = List.of("Error: Could not find or load main class ",
      "Error: LinkageError occurred while loading main class ", "Error: Unable to initialize main class ");
  private static final String NO_MAIN = "Error: Main method not found in class ";
  private static final List<String> NO_MAIN_FOLLOWING = List.of("   public static void main(String[] args)",
      "or a JavaFX application class must extend javafx.application.Application");
  /** The options the JVM refuses before it exists: what it says, each followed by {@link #NO_VM}. */
  private static final List<String> REFUSED_OPTIONS = List.of("Unrecognized VM option '", "Unrecognized option: ",
      "Invalid maximum heap size: ", "Invalid initial heap size: ", "Improperly specified VM option '",
      "Missing +/- setting for VM option '");
  private static final List<String> NO_VM = List.of("Error: Could not create the Java Virtual Machine.",
      "Error: A fatal exception has occurred. Program will exit.");
  private static final String VM_INITIALIZATION = "Error occurred during initialization of VM";
  /** What the JVM prints as it ends on running out of memory, before the error's name. */
  private static final List<String> OUT_OF_MEMORY_EXITS = List.of("Terminating due to java.lang.OutOfMemoryError: ",
      "Aborting due to java.lang.OutOfMemoryError: ");

  /** The lines that may follow the last one read, as the error goes on; empty when none is open. */
  private List<String> following = List.of();
  /** The error open wants the exception why on its next line. */
  private boolean causeFollows;
  /** The error open wants its next line, whatever it says (the VM's reason it could not start). */
  private boolean reasonFollows;

  /** A line of the launcher's error, an ERROR; null for any other line. */
  ChildLineParser.Parsed parse(String line, String stream) {
    continuesRecord = false;
    moreFollows = false;
    if (causeFollows || reasonFollows) {
      // (a tab and the exception, after a LinkageError, the stack trace reader joins to the error)
      boolean cause = reasonFollows ? !line.isBlank() : line.startsWith("Caused by: ");
      causeFollows = false;
      reasonFollows = false;
      if (cause) {
        continuesRecord = true;
        return record(line, stream);
      }
    } else if (!following.isEmpty()) {
      boolean next = line.equals(following.get(0));
      following = next ? following.subList(1, following.size()) : List.of();
      if (next) {
        continuesRecord = true;
        moreFollows = !following.isEmpty();
        return record(line, stream);
      }
    }
    if (line.startsWith("Error") || line.startsWith("Unrecognized ") || line.startsWith("Invalid ")
        || line.startsWith("Improperly ") || line.startsWith("Missing ")) {
      return begins(line, stream);
    }
    if ((line.startsWith("Terminating ") || line.startsWith("Aborting ")) && OUT_OF_MEMORY_EXITS.stream().anyMatch(line::startsWith)) {
      return record(Level.CRITICAL, line, stream);
    }
    return null;
  }

  private ChildLineParser.Parsed begins(String line, String stream) {
    if (CLASS_ERRORS.stream().anyMatch(line::startsWith)) {
      causeFollows = true;
    } else if (line.startsWith(NO_MAIN)) {
      following = NO_MAIN_FOLLOWING;
    } else if (REFUSED_OPTIONS.stream().anyMatch(line::startsWith)) {
      following = NO_VM;
    } else if (line.equals(VM_INITIALIZATION)) {
      reasonFollows = true;
    } else if (line.equals(NO_VM.get(0))) {
      following = NO_VM.subList(1, NO_VM.size());   // the refused option was printed elsewhere, or not read
    } else {
      return null;
    }
    moreFollows = true;
    return record(line, stream);
  }

  private static ChildLineParser.Parsed record(String line, String stream) {
    return record(Level.ERROR, line, stream);
  }

  private static ChildLineParser.Parsed record(Level level, String line, String stream) {
    return record(level, line, stream, "java");
  }
}
