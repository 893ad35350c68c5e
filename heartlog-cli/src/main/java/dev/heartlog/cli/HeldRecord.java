package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The record {@link Tracebacks} holds for lines that may still join it: an ERROR line, whose
 * traceback or further lines may follow; a line below ERROR, held for the lines written with it in
 * its read ({@link #forThisRead}); or the first lines of a record its writer said has more. The
 * lines naming no level that join it ({@link #takesFurther}) are more of its message, and a
 * traceback that follows may be its exception ({@link TracebackStarts}).
 *
 * <p>Not thread-safe: {@link Tracebacks} holds its lock around every call.
 */
final class HeldRecord {

  /**
   * A line that begins with a tag in brackets, closed before any other bracket opens, and text
   * after it: {@code [step 3/10] loss=0.41}, {@code (pid=4121) loading}, {@code [rank0]: ...}.
   * Not {@code [1, 2, 3]}, {@code [('a', 1),}, nor Node's {@code [Object: null prototype]} before
   * an object's brace.
   */
  private static final Pattern TAGGED_LINE = Pattern.compile("[\\[(][^\\[\\](){}]*[\\])]:?[ \\t]+[^\\s\\[({]");

  /**
   * A row of a table of fields a logger's message ends with, its value padded to a column: Dask's
   * {@code Compute Failed} and the {@code Key:       render-1520d7c0}, {@code args:      (3)} and
   * {@code Exception: "RuntimeError('frame 3')"} below it. Group 1 is the padding.
   */
  private static final Pattern TABLE_ROW = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,24}:( +)\\S");

  private Tracebacks.Line line;           // null where none is held
  private boolean forThisRead;            // a line below ERROR, held until its read's lines are passed on
  /**
   * A logger's line that says nothing ({@code log.warning("\n*****\n...")}) or ends in a colon
   * ({@code log.info("Loaded config:\n%s", yaml.dump(config))}): its message is on the lines after
   * it, and a line of text among them, not indented, is more of it too.
   */
  private boolean takesText;
  private boolean table;                  // its message ends in a table's rows (TABLE_ROW): its next rows join it
  private int blankLines;                 // blank lines after it, joined to it if a further line follows

  /** The line held, with what has joined it; {@code null} where none is. */
  Tracebacks.Line line() {
    return line;
  }

  /** Whether a line below ERROR is held for the lines of its read. */
  boolean forThisRead() {
    return forThisRead && line != null;
  }

  /** Holds the line for what may follow it: an ERROR line, or the first of a record of several lines. */
  void hold(Tracebacks.Line line) {
    this.line = line;
  }

  /**
   * Holds a line below ERROR for the lines naming no level written with it, in one write, which
   * may be the rest of its message ({@link #takesFurther}): a logger's message of several lines, a
   * JSON document print() wrote. For a logger's WARNING, so is a traceback ({@code
   * log.warning("retrying", exc_info=True)}).
   */
  void holdForRead(Tracebacks.Line line) {
    this.line = line;
    forThisRead = true;
    // log.warning("\n*****\nSetting OMP_NUM_THREADS ...") says nothing on the logger's line: the
    // lines written with it, indented or not, are its message. Each was a warning of its own.
    // So are a YAML document's lines below "Loaded config:", each an INFO record of its own before.
    takesText = line.ownLevel() && (line.message().isEmpty() || line.message().endsWith(":"));
  }

  /** The held line becomes {@code line}, more of the same record; what it takes stays. */
  void replace(Tracebacks.Line line) {
    this.line = line;
  }

  /** Lets go of the held line: what it takes is forgotten. Returns the line, or {@code null}. */
  Tracebacks.Line release() {
    Tracebacks.Line released = line;
    line = null;
    forThisRead = false;
    takesText = false;
    table = false;
    blankLines = 0;
    return released;
  }

  /**
   * Joins a further line of a record its writer said has more ({@link VllmLines#continuesRecord}):
   * its message a line of the record's, the record at the most severe of its lines' levels (unzip's
   * archive's name, and the error below it). {@code false} where the record would grow past
   * {@code maxChars} or none is held.
   */
  boolean joinsRecordLine(Tracebacks.Line next, String text, int maxChars) {
    if (line == null || line.message().length() + text.length() >= maxChars) {
      return false;
    }
    Level level = next.level().isAtLeast(line.level()) ? next.level() : line.level();
    // A first line that says nothing is no line of the message (torchrun's banner begins so).
    String message = line.message().isEmpty() ? next.message() : line.message() + "\n" + next.message();
    line = new Tracebacks.Line(line.at(), level, message, line.task(), line.metadata(), line.arrivedNanos(), line.ownLevel());
    return true;
  }

  /**
   * Takes a line that names no level, read with the held line, into its message: the rest of a
   * message of several lines ({@code log.info("config:\n%s", pprint.pformat(config))}, {@code
   * log.exception("shot 12 failed\n  model=wan2.1")}, {@code print(json.dumps(result, indent=2))}),
   * where each line was a record of its own. Below ERROR, only a line that looks so ({@link
   * #looksContinued}), a row of a table ({@link #isTableRow}), or any line below a logger's line
   * that says nothing or ends in a colon ({@link #takesText}). Blank lines are kept for a line
   * after them, and dropped when none comes. {@code false}, and nothing taken, where no line is
   * held for more, the message would grow past {@code maxChars}, or the line is no such line:
   * one that, or whose message, {@code beginsItsOwn} (a traceback, an exception's stack trace, a
   * warning).
   */
  boolean takesFurther(Tracebacks.Line next, String text, int maxChars, Predicate<String> beginsItsOwn) {
    if (line == null || !(line.level().isAtLeast(Level.ERROR) || forThisRead)
        || line.message().length() + blankLines + text.length() >= maxChars) {
      return false;
    }
    if (text.isBlank()) {
      blankLines++;
      return true;
    }
    boolean row = isTableRow(text);
    if (!row && (!line.level().isAtLeast(Level.ERROR) && !takesText && !looksContinued(text) || beginsItsOwn.test(text)
        || !next.message().equals(text) && beginsItsOwn.test(next.message()))) {
      return false;   // the message may begin its own after a prefix the parser took off (a time in brackets)
    }
    table = row;
    if (takesText && line.message().endsWith(":") && line.message().indexOf('\n') < 0
        && Character.isWhitespace(text.charAt(0))) {
      // "config:" and its lines indented below it: a line of text after them is a print of its own
      takesText = false;
    }
    // A message that begins with a line end (torchrun's "WARNING:torch.distributed.run:" and its
    // banner below) begins on this line, without the indent that sets it below its header
    // (.NET's console logger's).
    String message = line.message().isEmpty() ? next.message().stripLeading()
        : line.message() + "\n".repeat(blankLines + 1) + next.message();
    line = new Tracebacks.Line(line.at(), line.level(), message, line.task(), line.metadata(), line.arrivedNanos(), line.ownLevel());
    blankLines = 0;
    return true;
  }

  /**
   * Whether the line is a row of a table of fields of the held record's message: its value padded
   * ({@code Key:       render-1520d7c0}), or any {@code name: value} right after such a row
   * ({@code Exception: "RuntimeError('frame 3')"}, no padding where its name is the longest).
   * Each row was a warning of its own, and the exception's one that may begin a traceback. A print
   * of {@code status: ok} read with a logger's line is no row: one space, and no table before it.
   */
  private boolean isTableRow(String text) {
    Matcher row = TABLE_ROW.matcher(text);
    return row.lookingAt() && (row.group(1).length() >= 2 || table);
  }

  /**
   * Whether a line read with a line below ERROR looks like more of its message: indented,
   * or a bracket's line (the first and last of {@code pprint}'s and {@code json.dumps}'s output).
   * A line of text is not taken: more likely a print of the worker's own read with it, a shell's
   * {@code echo} after {@code echo}, or a task's first line after its last, which stays a record of
   * its own. Nor is a line that begins with a tag in brackets and goes on in text ({@code [step
   * 3/10] loss=0.41}, Ray's {@code (pid=4121) loading}): a line of its own, in a format
   * heartlog does not read. A Ruby backtrace's frame is taken ({@code /srv/app/jobs.rb:10:in
   * `perform'}: Sidekiq logs a backtrace as one message of several lines, its first frame on the
   * logged line). An ERROR line takes any line read with it: a print after a failure is more
   * often about it.
   */
  private static boolean looksContinued(String text) {
    char first = text.charAt(0);
    return Character.isWhitespace(first)
        || "{}[]()".indexOf(first) >= 0 && !TAGGED_LINE.matcher(text).lookingAt()
        || TracebackLines.isRubyFrame(text);
  }
}
