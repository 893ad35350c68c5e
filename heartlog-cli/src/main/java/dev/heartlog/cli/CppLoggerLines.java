package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines the C++ libraries under a GPU worker log on stderr: glog's, absl's, TensorFlow's and
 * PyTorch's C++ side's ({@code W1129 10:00:00.123456  4242 gpu_device.cc:2019] ...}), and NCCL's
 * debug output. Each is turned away by its first characters before a regular expression runs.
 */
final class CppLoggerLines {

  /**
   * glog's and absl's line ({@code W1129 10:00:00.123456  4242 gpu_device.cc:2019] ...}) and
   * TensorFlow's ({@code 2026-11-29 10:00:00.123456: I tensorflow/core/util/port.cc:113] ...}),
   * which GPU workers print on stderr: the level is one letter, I, W, E or F (fatal). Also
   * PyTorch's C++ side's, in brackets, with its month unpadded or no time at all ({@code
   * [W415 18:57:09.249883195 ProcessGroupNCCL.cpp:5138] ...}, {@code [W socket.cpp:464] ...}).
   */
  private static final String GLOG_PREFIX =
      "(?:(?<glog>[IWEF])\\d{4} [\\d:.]+\\s+\\d+|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: (?<tf>[IWEF])"
          + "|\\[(?<c10>[IWEF])(?:\\d{3,4} [\\d:.]+)?)"
          + " (?<file>\\S+):(?<line>\\d{1,9})\\]";
  private static final Pattern GLOG = Pattern.compile(GLOG_PREFIX + " (?<message>.*)");

  /**
   * The same with nothing after the bracket, as Triton Inference Server writes the line above a
   * table, the table below it ({@code LOG_TABLE_INFO}). A pattern of its own: the message made
   * optional in {@link #GLOG} cost its other lines 3–4% (BENCHMARKS.md §7).
   */
  private static final Pattern GLOG_BARE = Pattern.compile(GLOG_PREFIX + "(?<message>)");

  /** NCCL's line ({@link #nccl}): host, process and thread, the GPU, where a warning was raised, the level. */
  private static final Pattern NCCL = Pattern.compile(
      "(?<host>[^\\s:]{1,100}):(?<pid>\\d{1,10}):(?<thread>\\d{1,10}) \\[(?<gpu>\\d{1,4})\\] "
          + "(?:(?<file>[^\\s:]{1,200}):(?<line>\\d{1,9}) )?NCCL (?<level>INFO|WARN|ABORT|TRACE)(?: |$)");

  private CppLoggerLines() {}

  /** The level of a line of glog's, absl's or TensorFlow's ({@link #GLOG}); null for any other line. */
  static Level glogLevel(String line) {
    Matcher matcher = glogMatcher(line);
    return matcher == null ? null : glogLetterLevel(matcher);
  }

  /**
   * A line of glog's, absl's, TensorFlow's or PyTorch's C++ side ({@link #GLOG}): its level, the
   * message after its prefix, and where it was logged as {@code file} and {@code line}, as for
   * ONNX Runtime's lines. Before, the message kept the prefix ({@code E1129 10:00:00.123456 4242
   * cuda_driver.cc:152] failed call to cuInit}), and so did the error's kind. Its time has no year
   * or zone, so the record keeps the time the line came. Null for any other line.
   */
  static ChildLineParser.Parsed glog(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    Matcher matcher = glogMatcher(line);
    if (matcher == null) {
      return null;
    }
    metadata.put("file", matcher.group("file"));
    metadata.put("line", Integer.parseInt(matcher.group("line")));
    String message = matcher.group("message");   // empty where the record's lines follow it (GLOG_BARE)
    return new ChildLineParser.Parsed(glogLetterLevel(matcher), message, null, metadata, endsTask.test(message));
  }

  private static Matcher glogMatcher(String line) {
    if (line.length() < 8 || !(LoggerFormats.startsWithDigit(line) || "IWEF".indexOf(line.charAt(0)) >= 0
        || line.charAt(0) == '[' && "IWEF".indexOf(line.charAt(1)) >= 0)) {
      return null;
    }
    Matcher matcher = (line.charAt(line.length() - 1) == ']' ? GLOG_BARE : GLOG).matcher(line);
    return matcher.matches() ? matcher : null;
  }

  private static Level glogLetterLevel(Matcher matcher) {
    String letter = matcher.group("glog") != null ? matcher.group("glog")
        : matcher.group("tf") != null ? matcher.group("tf") : matcher.group("c10");
    return LevelNames.letterLevel(letter.charAt(0));
  }

  /**
   * A line of NCCL's debug output ({@code NCCL_DEBUG=INFO}, on stdout), which distributed GPU runs
   * print by the hundred as they start: {@code gpu-1:4242:4250 [0] NCCL INFO Bootstrap : Using
   * eth0}, and a warning with where it was raised, {@code gpu-1:4242:4250 [0] misc/socket.cc:484
   * NCCL WARN socketStartConnect: Connect to 10.0.0.3<45678> failed}. Its level (WARN is WARNING,
   * ABORT ERROR, TRACE DEBUG), the message after the level, and in its metadata the {@code
   * component} {@code NCCL}, so that {@code --levels NCCL=WARNING} keeps its warnings and drops the
   * rest, the {@code host}, {@code pid}, {@code thread} and {@code gpu}, and a warning's {@code
   * file} and {@code line}. Before, the message kept that prefix. Null for any other line; most
   * are turned away before the first space or colon, where a host's name ends.
   */
  static ChildLineParser.Parsed nccl(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    int colon = 0;
    while (colon < line.length() && line.charAt(colon) != ':' && line.charAt(colon) != ' ') {
      colon++;
    }
    if (colon == 0 || colon + 1 >= line.length() || line.charAt(colon) != ':' || !Character.isDigit(line.charAt(colon + 1))) {
      return null;
    }
    Matcher matcher = NCCL.matcher(line);
    if (!matcher.lookingAt()) {
      return null;
    }
    Level level = switch (matcher.group("level")) {
      case "WARN" -> Level.WARNING;
      case "ABORT" -> Level.ERROR;
      case "TRACE" -> Level.DEBUG;
      default -> Level.INFO;
    };
    metadata.put("component", "NCCL");
    metadata.put("host", matcher.group("host"));
    metadata.put("pid", Long.parseLong(matcher.group("pid")));
    metadata.put("thread", Long.parseLong(matcher.group("thread")));
    metadata.put("gpu", Integer.parseInt(matcher.group("gpu")));
    if (matcher.group("file") != null) {
      metadata.put("file", matcher.group("file"));
      metadata.put("line", Integer.parseInt(matcher.group("line")));
    }
    String message = line.substring(matcher.end());
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }
}
