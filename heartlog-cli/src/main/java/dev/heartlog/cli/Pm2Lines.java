package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PM2's own lines, where a container runs a Node.js worker (a job queue's, a render farm's) under
 * {@code pm2-runtime} and {@code heartlog run} wraps it ({@code heartlog run -- pm2-runtime start
 * worker.js}): {@code 2026-12-07T19:47:15: PM2 log: App [render:0] exited with code [1] via
 * signal [SIGINT]}. PM2 prints every line of its own so, the time (without a zone, in {@code
 * PM2_LOG_DATE_FORMAT}), then the console method it called: {@code log}, {@code info}, {@code
 * warn} or {@code error}. Before, such a line was stored whole at the stream's level, and a
 * worker that crashed and was restarted sixteen times was sixteen INFO lines among its own.
 *
 * <p>Here the message is what follows {@code PM2 log: }, at the level its method names, with
 * {@code component} {@code pm2}. PM2 reports all that happens to its apps with {@code log}, so
 * its reports are read too, and a report's app goes into {@code program}, as supervisord's
 * program does ({@link SupervisorLines}). An app that exited with a code other than 0, or was
 * ended by a signal PM2 did not send (the kernel's SIGKILL when memory ran out, a SIGSEGV), is an
 * error, and so is a script stopped after too many unstable restarts; PM2 prints {@code SIGINT}
 * where no signal ended the app. Once PM2 is stopping an app ({@code Stopping app:render id:0}),
 * its exit is what was asked, and a warning only where PM2 had to kill it ({@code still alive
 * after 1600ms, sending SIGKILL}, then {@code via signal [SIGKILL]}), as is its restart of an app
 * that used more memory than {@code --max-memory-restart} allows. An app PM2 names in an {@code
 * error} line ({@code app=render id=0 ...}) goes into {@code program} too. The time without a
 * zone is not read: the record keeps the time the line came. {@code pm2 logs --format} prints
 * PM2's lines after fields of its own ({@link #FORMAT_PREFIX}), read as its {@code log} lines.
 *
 * <p>One for both streams of a worker, as PM2 prints its reports on stdout: it remembers the apps
 * PM2 is stopping.
 */
final class Pm2Lines {

  /** What follows the time: PM2, and the console method it called. */
  private static final Pattern PREFIX = Pattern.compile(": PM2 (?<method>log|info|warn|error): ");

  /**
   * What {@code pm2 logs --format} puts in front of PM2's own lines, which it prints with {@code
   * log}, after {@code timestamp=} and the time: {@code timestamp=2026-12-08-03:07:27+0000 app=pm2
   * message=App [render:0] online}.
   */
  private static final String FORMAT_PREFIX = " app=pm2 message=";

  /** Where the prefix may begin at the latest: after a date and time in any common format. */
  private static final int LATEST_PREFIX = 40;

  /** A report of one of PM2's apps, as PM2 words it: the app and, for an exit, its code and signal. */
  private static final Pattern APP_REPORT = Pattern.compile(
      "App \\[(?<app>[^\\[\\]]{1,200}):(?<id>\\d{1,9})\\] "
          + "(?:exited with code \\[(?<code>[^\\]]{0,20})\\] via signal \\[(?<signal>[A-Z0-9]{0,20})\\]|.*)"
          + "|Stopping app:(?<stopping>\\S{1,200}) id:(?<stoppingId>\\d{1,9})");

  /** PM2's line of an app it names as {@code app=render id=0}, and what it says of it. */
  private static final Pattern NAMED_APP = Pattern.compile("app=(?<app>\\S{1,200}) id=\\d{1,9} (?<what>.*)");

  /** PM2 gave up on a script that kept exiting soon after it started. */
  private static final Pattern UNSTABLE =
      Pattern.compile("Script .{1,1000} had too many unstable restarts \\(\\d{1,9}\\)\\. Stopped\\. .*");

  /** PM2 kills an app that did not stop when asked. */
  private static final Pattern STILL_ALIVE =
      Pattern.compile("Process with pid \\d{1,10} still alive after \\d{1,9}ms, sending SIGKILL.*");

  /** PM2's restart of an app that used more memory than {@code --max-memory-restart} allows. */
  private static final String OVER_MEMORY = "[PM2][WORKER] Process ";

  /** The most apps remembered as stopping: more are forgotten, their exits read as if not asked. */
  private static final int MAX_STOPPING = 1_000;

  /** The apps PM2 is stopping ({@code render:0}), until their exit: two streams' readers share it. */
  private final Set<String> stopping = ConcurrentHashMap.newKeySet();

  /** A line of PM2's own, at its level; null for any other line. */
  ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (line.startsWith("timestamp=")) {
      return formatted(line, metadata);
    }
    if (line.length() < 20 || !LoggerFormats.startsWithDigit(line)) {
      return null;
    }
    int at = prefixAt(line);
    if (at < 0) {
      return null;
    }
    Matcher prefix = PREFIX.matcher(line).region(at, line.length());
    if (!prefix.lookingAt()) {
      return null;
    }
    String message = line.substring(prefix.end());
    metadata.put("component", "pm2");
    Level level = switch (prefix.group("method")) {
      case "error" -> namedAppsError(message, metadata);
      case "warn" -> Level.WARNING;
      default -> report(message, metadata);
    };
    return new ChildLineParser.Parsed(level, message, null, metadata, false);
  }

  /** A line of PM2's own as {@code pm2 logs --format} prints it ({@link #FORMAT_PREFIX}); null for any other line. */
  private ChildLineParser.Parsed formatted(String line, RecordMetadata metadata) {
    int time = line.indexOf(' ');
    if (time < 0 || !line.startsWith(FORMAT_PREFIX, time)) {
      return null;
    }
    String message = line.substring(time + FORMAT_PREFIX.length());
    metadata.put("component", "pm2");
    return new ChildLineParser.Parsed(report(message, metadata), message, null, metadata, false);
  }

  /** Where {@code : PM2 } begins, if it does before {@link #LATEST_PREFIX}; -1 otherwise. */
  private static int prefixAt(String line) {
    int last = Math.min(LATEST_PREFIX, line.length() - 6);
    for (int i = 8; i <= last; i++) {
      if (line.charAt(i) == ':' && line.startsWith(" PM2 ", i + 1)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The level of PM2's {@code error} line of this message, an ERROR, its app in {@code program}
   * where it names one ({@code app=render id=0 pid=42 could not be stopped}). But {@code app=render
   * id=0 does not have a pid}, which PM2 says as it stops an app it had given up on already (an
   * error of its own, {@link #report}), is INFO: no process of it was left to stop.
   */
  private static Level namedAppsError(String message, RecordMetadata metadata) {
    if (!message.startsWith("app=")) {
      return Level.ERROR;
    }
    Matcher named = NAMED_APP.matcher(message);
    if (!named.matches()) {
      return Level.ERROR;
    }
    metadata.put("program", named.group("app"));
    return named.group("what").equals("does not have a pid") ? Level.INFO : Level.ERROR;
  }

  /** The level of PM2's {@code log} line of this message: of its report of an app, if it is one. */
  private Level report(String message, RecordMetadata metadata) {
    char first = message.isEmpty() ? ' ' : message.charAt(0);
    if (first == 'S' && UNSTABLE.matcher(message).matches()) {
      return Level.ERROR;
    }
    if (first == 'P' && STILL_ALIVE.matcher(message).matches()) {
      return Level.WARNING;
    }
    if (first == '[' && message.startsWith(OVER_MEMORY) && message.contains(" exceeds --max-memory-restart ")) {
      return Level.WARNING;
    }
    if (first != 'A' && first != 'S') {
      return Level.INFO;
    }
    Matcher report = APP_REPORT.matcher(message);
    if (!report.matches()) {
      return Level.INFO;
    }
    if (report.group("stopping") != null) {
      metadata.put("program", report.group("stopping"));
      if (stopping.size() >= MAX_STOPPING) {
        stopping.clear();
      }
      stopping.add(report.group("stopping") + ":" + report.group("stoppingId"));
      return Level.INFO;
    }
    metadata.put("program", report.group("app"));
    String code = report.group("code");
    if (code == null) {
      return Level.INFO;
    }
    boolean asked = stopping.remove(report.group("app") + ":" + report.group("id"));
    String signal = report.group("signal");
    if (asked) {
      return signal.equals("SIGKILL") ? Level.WARNING : Level.INFO;
    }
    return code.equals("0") && signal.equals("SIGINT") ? Level.INFO : Level.ERROR;
  }
}
