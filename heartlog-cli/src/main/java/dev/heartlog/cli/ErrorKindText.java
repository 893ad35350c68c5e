package dev.heartlog.cli;

import dev.heartlog.store.ErrorKind;
import dev.heartlog.store.ErrorKindDetail;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One kind of error as {@code heartlog errors --kind} prints it: the kind, its latest error with
 * its stack trace, then the workers it hit and the tasks it was made in, one line each, the most
 * errors first.
 */
final class ErrorKindText {

  private ErrorKindText() {}

  static void print(ErrorKindDetail detail, String range, PrintWriter out) {
    ErrorKind kind = detail.kind();
    out.println("Kind " + kind.id() + ": " + RecordText.count(kind.errors(), "error") + " on "
        + RecordText.count(kind.workers(), "worker") + " in " + RecordText.count(kind.tasks(), "task") + range
        + ", the first at " + RecordText.second(kind.firstAt()) + ", the latest at " + RecordText.second(kind.lastAt())
        + ":");
    out.println("  " + RecordText.printable(TasksCommand.failureLine(kind.message(), kind.exception())));
    if (detail.stackTrace() != null && !detail.stackTrace().isBlank()) {
      detail.stackTrace().lines().forEach(line -> out.println(RecordText.INDENT + RecordText.printable(line)));
    }
    long most = detail.errorsOverTime().stream().mapToLong(Long::longValue).max().orElse(0);
    out.println("  errors per " + width(detail.spanWidth()) + " since " + RecordText.second(detail.since()) + " ("
        + BARS.charAt(BARS.length() - 1) + " = " + most + "): |" + bars(detail.errorsOverTime(), most) + "|");
    out.println();
    table(out, "WORKER", ErrorKind::workerId, "TASKS", ErrorKind::tasks, "LATEST TASK", ErrorKind::taskId,
        detail.workers());
    out.println();
    table(out, "TASK", ErrorKind::taskId, "WORKERS", ErrorKind::workers, "LATEST WORKER", ErrorKind::workerId,
        detail.tasks());
    out.println();
    long tasksListed = detail.tasks().stream().filter(part -> part.taskId() != null).count();
    boolean outsideListed = tasksListed < detail.tasks().size();
    out.println(shown(detail.workers().size(), detail.workerCount(), "worker") + "; "
        + shown(tasksListed, kind.tasks(), "task") + (outsideListed ? "; task - is the errors made outside a task" : "")
        + ".");
  }

  /**
   * The workers' or the tasks' lines: each one's id (a task's "-" for the errors outside a task),
   * its errors, how many of the other it spans, its first and latest time, the other of its latest
   * error, and that error's text.
   */
  private static void table(PrintWriter out, String title, Function<ErrorKind, String> id, String spanTitle,
      Function<ErrorKind, Long> span, String otherTitle, Function<ErrorKind, String> other, List<ErrorKind> parts) {
    int idWidth = title.length();
    int otherWidth = otherTitle.length();
    for (ErrorKind part : parts) {
      idWidth = Math.max(idWidth, shownId(id.apply(part)).length());
      otherWidth = Math.max(otherWidth, shownId(other.apply(part)).length());
    }
    String row = "%-" + idWidth + "s  %6s %" + spanTitle.length() + "s  %-20s  %-20s  %-" + otherWidth + "s  %s";
    out.println(String.format(row, title, "ERRORS", spanTitle, "FIRST", "LATEST", otherTitle, "ERROR").stripTrailing());
    for (ErrorKind part : parts) {
      out.println(String.format(row, shownId(id.apply(part)), part.errors(), span.apply(part),
          RecordText.second(part.firstAt()), RecordText.second(part.lastAt()), shownId(other.apply(part)),
          RecordText.printable(TasksCommand.failureLine(part.message(), part.exception()))));
    }
  }

  /** A span's errors as a bar of eight heights, the highest for {@code most}; none, a space. */
  private static final String BARS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";

  /** Each span's errors as a bar, so that when a kind began, peaked and stopped shows at a glance. */
  static String bars(List<Long> errorsOverTime, long most) {
    StringBuilder bars = new StringBuilder();
    for (long errors : errorsOverTime) {
      bars.append(errors == 0 ? ' ' : BARS.charAt((int) Math.min(BARS.length() - 1, (errors * BARS.length() - 1) / most)));
    }
    return bars.toString();
  }

  /** {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}: a span's width, a whole number of its unit. */
  static String width(Duration width) {
    long seconds = width.getSeconds();
    return seconds % 86_400 == 0 ? seconds / 86_400 + "d"
        : seconds % 3600 == 0 ? seconds / 3600 + "h"
        : seconds % 60 == 0 ? seconds / 60 + "m"
        : seconds + "s";
  }

  private static String shownId(String id) {
    return id == null ? "-" : RecordText.printable(id);
  }

  /** "3 workers", or "20 of 31 workers shown, the most errors first (--limit)". */
  private static String shown(long listed, long count, String noun) {
    return listed < count
        ? listed + " of " + RecordText.count(count, noun) + " shown, the most errors first (--limit)"
        : RecordText.count(count, noun);
  }
}
