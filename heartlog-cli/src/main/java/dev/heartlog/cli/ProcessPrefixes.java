package dev.heartlog.cli;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process a line of a wrapped worker names in front of it, where the worker runs several and
 * one prints the others' lines: vLLM's engine and workers ({@code (EngineCore_DP0 pid=4242)
 * INFO ...}), Ray's workers through its driver, the ranks of a PyTorch distributed run ({@code
 * [rank1]: Traceback ...}), the Procfile runners' processes ({@code 18:11:30 worker.1 | ...}) and
 * PM2's apps ({@code 0|render  | ...}). {@link VllmLines} asks it first of every line; the
 * process goes into the record's {@code process}, and each process's tracebacks are read apart
 * from the others' lines.
 *
 * <p>One for each stream: it remembers the processes foreman said it started.
 */
final class ProcessPrefixes {

  /**
   * What vLLM and Ray put in front of what their other processes print: the process's name, if
   * it has one, its pid, and for Ray's on another node that node's address ({@code (pid=4242)},
   * {@code (RayWorkerWrapper pid=4242, ip=10.0.0.2)}).
   */
  private static final Pattern PROCESS = Pattern.compile(
      "^\\((?<process>(?:[^()]{1,100} )?pid=\\d+(?:, ip=[0-9A-Fa-f.:]{2,45})?)\\) ");

  /**
   * What PyTorch puts in front of each line a process of a distributed run prints on its way out
   * (an uncaught exception's traceback, vLLM's too, even with one GPU), and of the warnings its
   * C++ side logs: {@code [rank1]: Traceback (most recent call last):}, {@code
   * [rank0]:[W1203 12:40:00.123456789 ProcessGroupNCCL.cpp:4115] ...}; and what torchrun's {@code
   * --tee 3} (torchx's {@code dist.ddp} passes it) puts in front of every line of a local rank,
   * its role and local rank with no space after it, {@code [default3]:Fatal Python error:
   * Segmentation fault}, so that a traceback's frame keeps its indentation. A role of the run's
   * own ({@code --role trainer}) is not read.
   */
  private static final Pattern RANK = Pattern.compile("\\[(?:(?<role>rank)(?<rank>\\d{1,6})\\]: ?|(?<tee>default)(?<local>\\d{1,6})\\]:)");

  /**
   * What the Procfile runners, foreman and honcho, put in front of each line of the processes
   * they start: the time of day, the process type and its number, padded, and a bar ({@code
   * 18:11:30 worker.1 | ...}); their own lines are {@code system}'s ({@code 18:11:30 system   |
   * sending SIGTERM to all processes}).
   */
  private static final Pattern PROCFILE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d (?<process>system|[\\w-]{1,100}\\.\\d{1,4}) *\\| ");

  /**
   * foreman's prefix without the time ({@code foreman start --no-timestamp}, where the container's
   * log adds its own): a numbered process, padded, and a bar ({@code worker.1 | ...}), or {@code
   * system}'s. A worker's own table may begin so ({@code layer.1 | 1024 | relu}), so it is read
   * only for a process foreman said it started ({@code worker.1 | started with pid 8039}), and
   * {@code system}'s once it started one.
   */
  private static final Pattern UNTIMED_PROCFILE = Pattern.compile("(?<process>system|[\\w-]{1,100}\\.\\d{1,4}) *\\| ");

  /**
   * What PM2 puts in front of each line of its apps with {@code pm2-runtime --formatted}, which
   * then prints their stdout and stderr both on its stdout: the app's id and name, padded, and a
   * bar ({@code 0|render  | ...}). Read as the process {@code render:0}, as PM2 names it in its
   * own lines ({@code App [render:0] online}).
   */
  private static final Pattern PM2_FORMATTED = Pattern.compile("(?<id>\\d{1,6})\\|(?<app>[^|\\s]{1,200}) +\\| ");

  /**
   * What PM2 puts in front of each line of its apps with {@code pm2-runtime --format} (and {@code
   * pm2 logs --format}), which prints their stdout and stderr both on its stdout: logfmt's fields
   * of the time, the app's name and id and the stream the app wrote the line to, then the line as
   * {@code message} ({@code timestamp=2026-12-08-02:59:22+0000 app=render id=0 type=error
   * message=Error: boom}). Read as the process {@code render:0}, as {@link #PM2_FORMATTED} is, and
   * the stream as {@code stdout} or {@code stderr} ({@link #stream}). The time, to the second, is
   * not read: the record keeps the time the line came, as it does for foreman's.
   */
  private static final Pattern PM2_FORMAT = Pattern.compile(
      "timestamp=\\S{1,40} app=(?<app>\\S{1,200}) id=(?<id>\\d{1,6}) type=(?<type>out|error) message=");

  /** The most processes foreman is remembered to have started: more are forgotten, their lines left whole. */
  private static final int MAX_STARTED = 1_000;

  /** How long the process's prefix in front of the line {@link #process} read last is. */
  private int processPrefix;
  private boolean runnersReport;  // the line is foreman's report of its process
  private String stream;          // the stream the line's prefix names, PM2_FORMAT's
  /** The processes foreman said it started, in lines without the time ({@link #UNTIMED_PROCFILE}). */
  private final Set<String> startedUntimed = new HashSet<>();

  /**
   * The process a line came from ({@code EngineCore_DP0 pid=4242}), named in front of it as vLLM
   * names its processes, or PyTorch a distributed run's ({@code rank1}, for {@code [rank1]: };
   * {@code default3} for torchrun's {@code [default3]:}), or foreman and honcho theirs ({@code
   * worker.1}, {@link #PROCFILE}, also without the time, {@link #UNTIMED_PROCFILE}), or PM2 its
   * apps' ({@code render:0}, {@link #PM2_FORMATTED}, {@link #PM2_FORMAT}); null for a line
   * without one.
   */
  String process(String line) {
    String process = null;
    processPrefix = 0;
    runnersReport = false;
    stream = null;
    Matcher matcher = line.isEmpty() ? null
        : line.charAt(0) == '(' ? PROCESS.matcher(line)
        : line.startsWith("[rank") || line.startsWith("[default") ? RANK.matcher(line) : null;
    if (matcher != null && matcher.lookingAt()) {
      process = matcher.pattern() != RANK ? matcher.group("process")
          : matcher.group("role") != null ? "rank" + matcher.group("rank") : "default" + matcher.group("local");
      processPrefix = matcher.end();
    } else if (matcher == null && mayBePm2Format(line)) {
      process = pm2FormatProcess(line);
    } else if (matcher == null && mayBeProcfiles(line)) {
      process = procfileProcess(line);
    } else if (matcher == null && mayBeUntimedProcfiles(line)) {
      process = untimedProcfileProcess(line);
    } else if (matcher == null && mayBePm2Formatted(line)) {
      process = pm2Process(line);
    }
    return process;
  }

  /**
   * The process foreman names in front of the line ({@link #PROCFILE}), and whether the line is
   * its report of it; null for none.
   */
  private String procfileProcess(String line) {
    Matcher matcher = PROCFILE.matcher(line);
    if (!matcher.lookingAt()) {
      return null;
    }
    processPrefix = matcher.end();
    runnersReport = ProcfileReports.isForemanReport(line, processPrefix);
    return matcher.group("process");
  }

  /**
   * The process foreman names in front of a line without the time ({@link #UNTIMED_PROCFILE}),
   * where it said it started that process, and whether the line is its report of it; null for
   * none.
   */
  private String untimedProcfileProcess(String line) {
    if (startedUntimed.isEmpty() && !line.contains("| started with pid ")) {
      return null;   // the pattern's cost spared for a worker's own table
    }
    Matcher matcher = UNTIMED_PROCFILE.matcher(line);
    if (!matcher.lookingAt()) {
      return null;
    }
    String process = matcher.group("process");
    if (ProcfileReports.isForemanStart(line, matcher.end())) {
      if (startedUntimed.size() >= MAX_STARTED) {
        startedUntimed.clear();
      }
      startedUntimed.add(process);
    } else if (process.equals("system") ? startedUntimed.isEmpty() : !startedUntimed.contains(process)) {
      return null;
    }
    processPrefix = matcher.end();
    runnersReport = ProcfileReports.isForemanReport(line, processPrefix);
    return process;
  }

  /**
   * Whether the line may begin as {@link #UNTIMED_PROCFILE}: a word, a dot and a number, spaces,
   * and a bar; or {@code system} and a bar. A Procfile's process types begin with a letter, so a
   * line that begins with a time or a number ends the look there, and most others at their first
   * word.
   */
  private static boolean mayBeUntimedProcfiles(String line) {
    char first = line.isEmpty() ? ' ' : line.charAt(0);
    if (!(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z')) {
      return false;
    }
    if (line.startsWith("system ")) {
      return true;
    }
    int end = 0;
    int last = Math.min(line.length(), 101);
    while (end < last && isProcessNameChar(line.charAt(end))) {
      end++;
    }
    if (end == 0 || end >= line.length() - 4 || line.charAt(end) != '.' || !Character.isDigit(line.charAt(end + 1))) {
      return false;
    }
    int bar = end + 2;
    while (bar < line.length() && (Character.isDigit(line.charAt(bar)) || line.charAt(bar) == ' ')) {
      bar++;
    }
    return line.startsWith("| ", bar) && line.charAt(bar - 1) == ' ';
  }

  /** The app PM2 names in front of the line ({@link #PM2_FORMATTED}) as {@code render:0}; null for none. */
  private String pm2Process(String line) {
    Matcher matcher = PM2_FORMATTED.matcher(line);
    if (!matcher.lookingAt()) {
      return null;
    }
    processPrefix = matcher.end();
    return matcher.group("app") + ":" + matcher.group("id");
  }

  /**
   * The app PM2 names in front of the line with its fields ({@link #PM2_FORMAT}) as {@code
   * render:0}, and the stream it names; null for none.
   */
  private String pm2FormatProcess(String line) {
    Matcher matcher = PM2_FORMAT.matcher(line);
    if (!matcher.lookingAt()) {
      return null;
    }
    processPrefix = matcher.end();
    stream = matcher.group("type").equals("error") ? "stderr" : "stdout";
    return matcher.group("app") + ":" + matcher.group("id");
  }

  /**
   * Whether the line may begin as {@link #PM2_FORMAT}: {@code timestamp=}, a word, then {@code
   * app=}. A logfmt line that begins with its time ({@code timestamp=... level=error ...}) took the
   * pattern 60 times as long as other lines.
   */
  private static boolean mayBePm2Format(String line) {
    if (!line.startsWith("timestamp=")) {
      return false;
    }
    int space = line.indexOf(' ');
    return space > 0 && line.startsWith(" app=", space);
  }

  /**
   * Whether the line may begin as {@link #PM2_FORMATTED}: digits, then a bar. A line of a date
   * first ends the look at its fifth character.
   */
  private static boolean mayBePm2Formatted(String line) {
    int bar = 0;
    while (bar < line.length() && bar <= 6 && line.charAt(bar) >= '0' && line.charAt(bar) <= '9') {
      bar++;
    }
    return bar > 0 && bar < line.length() && line.charAt(bar) == '|';
  }

  /** A character of a process's name as {@link #UNTIMED_PROCFILE} has it ({@code [\w-]}). */
  private static boolean isProcessNameChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
  }

  /**
   * Whether the line may begin as {@link #PROCFILE}: a time of day, then a bar after a process's
   * number or {@code system}. Lines that begin with a time of day and a level ({@code 12:00:01
   * INFO | ...}) do not meet the pattern, which took them 50 times as long as the lines before.
   */
  private static boolean mayBeProcfiles(String line) {
    if (line.length() <= 12 || line.charAt(2) != ':' || line.charAt(8) != ' ') {
      return false;
    }
    int bar = line.indexOf('|', 9);
    if (bar < 0) {
      return false;
    }
    int end = bar - 1;
    while (end > 9 && line.charAt(end) == ' ') {
      end--;
    }
    char last = line.charAt(end);
    return last >= '0' && last <= '9' || line.startsWith("system ", 9);
  }

  /**
   * Whether the line {@link #process} read last is foreman's report of the process it names
   * ({@code 18:11:30 worker.1 | exited with code 3}), not the process's own: a record of its own,
   * not more of the message of the exception the process printed last.
   */
  boolean runnersReport() {
    return runnersReport;
  }

  /**
   * The stream the prefix of the line {@link #process} read last says the process wrote the line
   * to, {@code stdout} or {@code stderr}, where the runner passes both on one stream; null where
   * it names none.
   */
  String stream() {
    return stream;
  }

  /** The line without the process {@link #process} found in front of it. */
  String withoutProcess(String line) {
    return line.substring(processPrefix);
  }
}
