package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of PyTorch's own loggers ({@code torch._dynamo}, {@code torch._inductor}, torchrun's
 * {@code torch.distributed.run}), which its formatter prints with a prefix on every line of a
 * record, the lines of a logged exception's traceback included. Since PyTorch's change of
 * February 2024 the prefix is glog's shape with the process and the Python file ({@code W1207
 * 10:00:00.123000 4242 torch/distributed/run.py:793] }, V for DEBUG; the thread's id in the
 * process's place and no bracket at first); before, a time in brackets, the logger and the level
 * in brackets ({@code [2025-05-18 22:34:42,582] torch.distributed.run: [WARNING] }). A
 * compilation's id follows it where one is running ({@code [0/0]}, which goes into {@code
 * compile_id}), and an artifact's name where one is logged ({@code [__guards]}, {@code artifact}).
 *
 * <p>Read a line at a time, one {@code log.exception(...)} of the inductor made five ERROR
 * records, one for each line of its traceback, and torchrun's banner about {@code
 * OMP_NUM_THREADS} four warnings, the first empty. Here a line whose prefix is the line before
 * it's continues that line's record ({@link #continuesRecord}); the line's text passed on is its
 * message, so that a traceback in it is read as one below an ERROR line is ({@link Tracebacks}).
 * The prefix's time is to the millisecond (the newer one's six digits end in 000 before Python
 * 3.13), so two records logged in the same millisecond by the same line of code (by the same
 * logger at the same level, in the older shape) are taken for one: a loop's, such as the lines of
 * Dynamo's guards.
 *
 * <p>The older shape is read here for PyTorch's loggers only; any other logger's is read by
 * {@link LoggerFormats}, a line at a time. One for each stream: it remembers the last line's
 * prefix and process.
 */
final class PyTorchLogLines extends RecordsOfLines {

  /**
   * The newer prefix: the level's letter (V for DEBUG), month and day, the time to six digits, the
   * process (or the thread, at first), the Python file and its line: a file of PyTorch's, so that
   * absl's Python lines of the same shape ({@code I1207 ... 140234567890 train.py:42]}, JAX's,
   * TensorFlow's) are left to {@link CppLoggerLines}, as before.
   */
  private static final Pattern GLOG_SHAPE = Pattern.compile(
      "[VIWEC]\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} (?<id>\\d{1,18}) (?<file>torch\\S{0,500}\\.py):(?<line>\\d{1,9})\\]?");

  /** The most digits a Linux process's id has ({@code pid_max} is at most 4,194,304): longer, it is a thread's. */
  private static final int PID_DIGITS = 7;

  /** The older prefix: the time in brackets, a compilation's id, a logger of PyTorch's and the level in brackets. */
  private static final Pattern BRACKETED_SHAPE = Pattern.compile(
      "\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}\\](?: \\[(?<compileId>[^\\]\\s]{1,40})\\])?"
          + " (?<logger>torch(?:\\.[\\w.]{1,200})?): \\[(?<level>DEBUG|INFO|WARNING|ERROR|CRITICAL)\\]");

  /** What may follow the newer prefix: a compilation's id, and an artifact's name ({@code [__guards]}). */
  private static final Pattern AFTER_GLOG_SHAPE = Pattern.compile(
      "(?: \\[(?<compileId>[!\\d][^\\]\\s]{0,39})\\])?(?: \\[__(?<artifact>\\w{1,100})\\])?");

  private final ChildLineParser parser;
  private String lastPrefix;    // of the last line, if it was one of PyTorch's loggers
  private String lastProcess;

  PyTorchLogLines(ChildLineParser parser) {
    this.parser = parser;
  }

  /**
   * A line of PyTorch's loggers: its level, its message (the line's text from here on), and in
   * its metadata where it was logged ({@code file}, {@code line} and {@code pid}; the {@code
   * logger} in the older shape) and the compilation's id; null for any other line. The time has
   * no year or no zone, so the record keeps the time the line came.
   *
   * @param line the line without the process in front of it ({@code [rank0]:}), which {@link
   *     VllmLines#process} read first
   * @param process that process, or null
   */
  ChildLineParser.Parsed parse(String line, String stream, String process) {
    Matcher matcher = matcherOf(line);
    if (matcher == null) {
      return otherLine();
    }
    RecordMetadata metadata = new RecordMetadata(5);
    metadata.put("stream", stream);
    Level level;
    int prefixEnd = matcher.end();
    if (matcher.pattern() == GLOG_SHAPE) {
      level = LevelNames.letterLevel(line.charAt(0));
      metadata.put("file", matcher.group("file"));
      metadata.put("line", Integer.parseInt(matcher.group("line")));
      String id = matcher.group("id");
      metadata.put(id.length() <= PID_DIGITS ? "pid" : "thread", Long.parseLong(id));
      Matcher after = AFTER_GLOG_SHAPE.matcher(line).region(prefixEnd, line.length());
      after.lookingAt();   // it matches the empty text
      putIfPresent(metadata, "compile_id", after.group("compileId"));
      putIfPresent(metadata, "artifact", after.group("artifact"));
      prefixEnd = after.end();
    } else {
      level = Level.fromName(matcher.group("level"));
      metadata.put("logger", matcher.group("logger"));
      putIfPresent(metadata, "compile_id", matcher.group("compileId"));
    }
    if (prefixEnd < line.length() && line.charAt(prefixEnd) != ' ') {
      return otherLine();   // "W1207 ... run.py:793]x": not a prefix
    }
    String prefix = line.substring(0, prefixEnd);
    continuesRecord = prefix.equals(lastPrefix) && Objects.equals(process, lastProcess);
    moreFollows = true;   // any line may be followed by more of its record
    lastPrefix = prefix;
    lastProcess = process;
    String message = prefixEnd < line.length() ? line.substring(prefixEnd + 1) : "";
    return new ChildLineParser.Parsed(level, message, null, metadata, parser.endsTask(message));
  }

  /** A line of another format: no record of PyTorch's goes on past it. */
  private ChildLineParser.Parsed otherLine() {
    lastPrefix = null;
    continuesRecord = false;
    moreFollows = false;
    return null;
  }

  /** The matcher of the prefix the line begins with; null where it begins with neither. */
  private static Matcher matcherOf(String line) {
    if (line.length() < 24) {
      return null;
    }
    char first = line.charAt(0);
    Pattern shape;
    if ("VIWEC".indexOf(first) >= 0 && Character.isDigit(line.charAt(1))) {
      shape = GLOG_SHAPE;
    } else if (first == '[' && Character.isDigit(line.charAt(1)) && line.indexOf(" torch", 24) > 0) {
      shape = BRACKETED_SHAPE;
    } else {
      return null;   // most lines
    }
    Matcher matcher = shape.matcher(line);
    return matcher.lookingAt() ? matcher : null;
  }

  private static void putIfPresent(RecordMetadata metadata, String key, String value) {
    if (value != null) {
      metadata.put(key, value);
    }
  }
}
