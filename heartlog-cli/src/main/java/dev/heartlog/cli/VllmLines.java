package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console lines of vLLM's logger, which the inference servers built on it print too (SGLang,
 * Aphrodite): {@code INFO 12-02 22:00:02 [llm_engine.py:239] message}, the level first, the time
 * without a year, where it was logged (without the brackets before vLLM 0.8), then the message.
 * vLLM repeats that prefix on every further line of a record, a logged exception's traceback
 * included. Read as a line of another format, each of those lines was a record of its own with
 * the prefix in its message, and one {@code logger.exception(...)} made five ERROR records.
 *
 * <p>Here a line gives its level, the message without the prefix, and the {@code file} and
 * {@code line} it was logged at; {@code heartlog run} passes the message on as the line's text,
 * so that a traceback below an ERROR line joins it as one record ({@link Tracebacks}), as Python
 * logging's does. A line whose prefix is not the line before it's begins a record of its own:
 * what was open before it ends there, so a record that follows a traceback is not taken for
 * more of its exception's message. vLLM's engine and worker processes print through their
 * parent with their name in front ({@code (EngineCore_DP0 pid=4242) INFO ...}, {@code
 * (VllmWorker rank=0 pid=4243) Traceback ...}), as Ray's workers print through its driver
 * ({@code (RayWorkerWrapper pid=4244, ip=10.0.0.2) ...}), and as the Procfile runners and PM2
 * print their processes' lines: {@link #process} reads it off any line ({@link
 * ProcessPrefixes}), and it goes into {@code process}; a line of another process than the line
 * before it begins a record too.
 *
 * <p>One for each stream: it remembers the last line's process and prefix.
 */
final class VllmLines extends RecordsOfLines {

  private static final Pattern RECORD = Pattern.compile(
      "^(?<level>DEBUG|INFO|WARNING|ERROR|CRITICAL) \\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:[.,]\\d{3})? "
          + "(?<place>\\[?(?<file>[^\\[\\]\\s]+):(?<line>\\d{1,9})\\])(?: (?<message>.*))?$");

  private final ChildLineParser parser;
  private final ProcessPrefixes prefixes = new ProcessPrefixes();
  private String lastProcess;     // named in front of the last line
  private boolean processChanged;
  private String lastPrefix;      // of the last line, if it was one of vLLM's logger
  private boolean lastMoreFollows; // the last line was vLLM's and ended with \r\n
  private boolean beginsRecord;

  VllmLines(ChildLineParser parser) {
    this.parser = parser;
  }

  /**
   * The process a line came from, named in front of it ({@link ProcessPrefixes#process}); null
   * for a line without one. A line of another process than the line before it begins a record.
   */
  String process(String line) {
    String process = prefixes.process(line);
    processChanged = !Objects.equals(process, lastProcess);
    lastProcess = process;
    return process;
  }

  /**
   * Whether the line {@link #process} read last is foreman's report of the process it names
   * ({@code 18:11:30 worker.1 | exited with code 3}), not the process's own: a record of its own,
   * not more of the message of the exception the process printed last.
   */
  boolean runnersReport() {
    return prefixes.runnersReport();
  }

  /**
   * The stream the prefix of the line {@link #process} read last names ({@link
   * ProcessPrefixes#stream}), or {@code stream}, the one the line came on, where it names none.
   */
  String stream(String stream) {
    String named = prefixes.stream();
    return named != null ? named : stream;
  }

  /** The line without the process {@link #process} found in front of it. */
  String withoutProcess(String line) {
    return prefixes.withoutProcess(line);
  }

  /**
   * A line of vLLM's logger: its level, its message (the line's text from here on), and {@code
   * file} and {@code line} in its metadata; null for any other line. The time has no year and no
   * zone, so the record keeps the time the line came.
   *
   * <p>A line continues the record of the line before it ({@link #continuesRecord}) where that
   * line had the same prefix and ended with {@code \r\n}: vLLM ends each line of a record but its
   * last so (its formatter puts {@code \r\n} and the prefix in place of each newline of the
   * message). Lines of one prefix without that are records logged in the same second at the same
   * place, a loop's. A line that ends with {@code \r\n} says more of its record follows ({@link
   * #moreFollows}).
   *
   * @param line the line without the process in front of it, which {@link #process} read first
   * @param crlf the line ended with {@code \r\n}
   */
  ChildLineParser.Parsed parse(String line, String stream, boolean crlf) {
    Matcher matcher = mayBeRecord(line) ? RECORD.matcher(line) : null;
    if (matcher == null || !matcher.matches()) {
      lastPrefix = null;
      beginsRecord = processChanged;
      continuesRecord = false;
      moreFollows = false;
      lastMoreFollows = false;
      return null;
    }
    String prefix = line.substring(0, matcher.end("place"));
    beginsRecord = processChanged || !prefix.equals(lastPrefix);
    continuesRecord = !beginsRecord && lastMoreFollows;
    moreFollows = crlf;
    lastMoreFollows = crlf;
    lastPrefix = prefix;
    RecordMetadata metadata = new RecordMetadata(4);
    metadata.put("stream", stream);
    metadata.put("file", matcher.group("file"));
    metadata.put("line", Integer.parseInt(matcher.group("line")));
    String message = matcher.group("message") == null ? "" : matcher.group("message");
    return new ChildLineParser.Parsed(Level.fromName(matcher.group("level")), message, null, metadata,
        parser.endsTask(message));
  }

  /**
   * Whether the line {@link #parse} read last begins a record: it came from another process than
   * the line before it, or it is a line of vLLM's logger whose prefix is not the line before it's;
   * {@code false} for the further lines of a record.
   */
  boolean beginsRecord() {
    return beginsRecord;
  }


  /**
   * Whether the line begins as vLLM's do, a level name and a space before a digit: most lines do
   * not, and are not matched against {@link #RECORD}.
   */
  private static boolean mayBeRecord(String line) {
    if (line.length() < 24 || "DIWEC".indexOf(line.charAt(0)) < 0) {
      return false;
    }
    int space = line.indexOf(' ');   // after DEBUG, INFO, WARNING, ERROR or CRITICAL
    return space >= 4 && space <= 8 && Character.isDigit(line.charAt(space + 1));
  }
}
