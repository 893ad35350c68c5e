package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The last lines a wrapped worker printed on one stream, for the record of its exit. A worker that
 * exits with an error but no traceback usually says why just before: on stderr, {@code
 * sys.exit("model file is truncated")}, Go's {@code log.Fatal}, a shell's {@code command not
 * found}; on stdout where it writes nothing to stderr (Blender's {@code Error: Cannot read file
 * ...}). Those lines are records of their own, but the exit's record is the task's failure, and
 * it should say why.
 *
 * <p>Where some of them are more severe than the others, they begin at the first of the most
 * severe: a Python worker logs to stderr ({@code logging.basicConfig}), and its {@code
 * logging.error("no CUDA device found")} before {@code sys.exit(1)} came after lines of INFO
 * ({@code loading model}), the first of which then named the failure in the task list and in
 * {@code heartlog errors}, as the first line of a stack trace names its exception. Where none of
 * them is an ERROR, they begin at the last of the most severe (but {@code go run}'s {@code exit
 * status 1}): a Go worker that logs with Go's {@code log} and ends on {@code log.Fatal}, a Perl
 * worker that warns and then dies, a Python worker that prints to stderr before {@code
 * sys.exit("...")}, say why last; the first of such lines in the last seconds named the failure
 * ({@code claimed task t-42}). The lines before it stay records of their own.
 */
final class OutputTail {

  private record Line(String task, String text, Level level, long nanos) {}

  private final int maxLines;
  private final int maxChars;
  private final long windowNanos;
  private final Object lock = new Object();
  private final Deque<Line> lines = new ArrayDeque<>();

  /**
   * @param maxLines how many of the last lines are kept
   * @param maxChars how many characters they may hold together; the oldest go first
   * @param windowNanos how long before the exit a line may have come to be one of its reasons
   */
  OutputTail(int maxLines, int maxChars, long windowNanos) {
    this.maxLines = maxLines;
    this.maxChars = maxChars;
    this.windowNanos = windowNanos;
  }

  /** A line as recorded, with its task and level, at {@code nanos} of {@link System#nanoTime()}. */
  void add(String task, String text, Level level, long nanos) {
    synchronized (lock) {
      lines.addLast(new Line(task, text, level, nanos));
      if (lines.size() > maxLines) {
        lines.removeFirst();
      }
    }
  }

  /**
   * The lines of {@code task}, or of no task, that came within the window before {@code
   * nowNanos}, oldest first, one a line, the newest kept whole where they hold more than {@code
   * maxChars}; null where there are none.
   */
  String before(String task, long nowNanos) {
    // A line of another task is not why this task's worker exited. A line of no task is kept:
    // stderr is read apart from stdout, so a line printed after the line on stdout that named
    // the task may be read before it.
    return newest(line -> line.task() == null || line.task().equals(task), nowNanos);
  }

  /**
   * The lines of any task recorded at {@code sinceNanos} or after, within the window before
   * {@code nowNanos}, as {@link #before} gives them; null where there are none.
   */
  String since(long sinceNanos, long nowNanos) {
    return newest(line -> line.nanos() - sinceNanos >= 0, nowNanos);
  }

  /**
   * The newest lines, up to the first older than the window or not {@code belongs}, oldest first,
   * from the first of the most severe.
   */
  private String newest(Predicate<Line> belongs, long nowNanos) {
    List<Line> recent = new ArrayList<>();
    int chars = 0;
    synchronized (lock) {
      for (var newest = lines.descendingIterator(); newest.hasNext(); ) {
        Line line = newest.next();
        if (nowNanos - line.nanos() > windowNanos || !belongs.test(line)) {
          break;
        }
        if (!recent.isEmpty() && chars + line.text().length() > maxChars) {
          break;
        }
        recent.add(0, line);
        chars += line.text().length() + 1;
      }
    }
    if (recent.isEmpty()) {
      return null;
    }
    Level worst = recent.stream().map(Line::level).reduce((a, b) -> a.isAtLeast(b) ? a : b).orElseThrow();
    int first = 0;
    while (!recent.get(first).level().isAtLeast(worst)) {
      first++;
    }
    if (!worst.isAtLeast(Level.ERROR)) {
      // No line said it was an error: the worker's last words say why it exits (sys.exit's,
      // log.Fatal's, die's), not its first line of the last seconds
      for (int last = recent.size() - 1; last > first; last--) {
        if (recent.get(last).level().isAtLeast(worst) && !isTrailer(recent.get(last).text())) {
          first = last;
          break;
        }
      }
    }
    return String.join("\n", recent.subList(first, recent.size()).stream().map(Line::text).toList());
  }

  /** A line a program that runs the worker prints after it, of its exit alone: {@code go run}'s {@code exit status 1}. */
  private static boolean isTrailer(String text) {
    return text.startsWith("exit status ") && text.length() > 12 && text.substring(12).chars().allMatch(Character::isDigit);
  }
}
