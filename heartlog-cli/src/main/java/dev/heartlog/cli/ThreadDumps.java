package dev.heartlog.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What heartlog run keeps of HotSpot's dump of its threads' stacks ({@code kill -3}, {@code
 * jstack}): the whole dump where it fits in {@link #KEPT_CHARS}. A bigger one is a worker's
 * pools, hundreds of threads that wait for work in the same place, printed in the order they were
 * made, and the thread that is stuck somewhere else among or after them. So the threads whose
 * stacks are an earlier thread's, line for line, are folded into that thread, which names how many
 * and which; the list of the threads' addresses HotSpot prints first is left out; and what is
 * still too long is cut in the middle of the threads, keeping the dump's end: the deadlocks it
 * found and the heap's summary.
 */
final class ThreadDumps {

  /**
   * The most kept of a dump: below the 32 KiB the agent stores of a metadata value, the record's
   * {@code exception} among them, so that the notes of what was left out are stored too.
   */
  static final int KEPT_CHARS = 30 * 1024;

  /**
   * The most of a dump read before its lines are only counted: a pool's idle threads print about
   * 900 characters each, so some 2,000 of them.
   */
  static final int MAX_READ_CHARS = 2 * 1024 * 1024;

  /** The most of a dump's end kept where its threads are cut: the deadlocks and the heap's summary. */
  private static final int MAX_END_CHARS = KEPT_CHARS / 4;

  private ThreadDumps() {
  }

  /** A thread's first line: {@code "main" #1 prio=5 os_prio=0 ... tid=0x00007f... nid=0x7114 ...}. */
  static boolean isThreadHeader(String line) {
    return line.startsWith("\"") && line.contains(" tid=");
  }

  /**
   * The dump's text as kept.
   *
   * @param lines the lines read, from {@code Full thread dump ...:} on, no blank line last
   * @param linesNotRead its lines after the first {@link #MAX_READ_CHARS}, only counted
   */
  static String kept(List<String> lines, int linesNotRead) {
    if (chars(lines) <= KEPT_CHARS && linesNotRead == 0) {
      return String.join("\n", lines);
    }
    List<String> folded = folded(lines);
    int end = linesNotRead == 0 ? endOfThreads(folded) : folded.size();
    List<String> last = folded.subList(end, folded.size());
    if (chars(last) > MAX_END_CHARS) {
      end = folded.size();   // many deadlocks: cut them at the end instead
      last = List.of();
    }
    List<String> threads = folded.subList(0, end);
    int room = KEPT_CHARS - chars(last) - 100;   // and the note's line
    int keptLines = 0;
    for (int used = 0; keptLines < threads.size() && used + threads.get(keptLines).length() + 1 <= room; keptLines++) {
      used += threads.get(keptLines).length() + 1;
    }
    int cut = threads.size() - keptLines;
    if (cut == 0 && linesNotRead == 0) {
      return String.join("\n", folded);
    }
    List<String> kept = new ArrayList<>(threads.subList(0, keptLines));
    if (cut > 0) {
      kept.add("… [heartlog run left out " + cut + " lines of the dump here, to keep it to "
          + KEPT_CHARS / 1024 + " KiB]");
    }
    kept.addAll(last);
    if (linesNotRead > 0) {
      kept.add("… [heartlog run left out the dump's last " + linesNotRead + " lines, past the first "
          + MAX_READ_CHARS / 1024 / 1024 + " MiB it reads]");
    }
    return String.join("\n", kept);
  }

  /**
   * The lines with each thread whose stack is an earlier thread's folded into that thread, below
   * whose frames a line names them, and without the list of the threads' addresses. A thread
   * without frames (HotSpot's own: {@code "VM Thread"}, {@code "GC Thread#0"}) is never folded:
   * its first line is all it says. Nor are the threads of the deadlocks found, named in quotes
   * without a {@code tid=}.
   */
  static List<String> folded(List<String> lines) {
    List<String> folded = new ArrayList<>(lines.size());
    Map<String, Fold> folds = new HashMap<>();
    List<Fold> byIndex = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      if (line.startsWith("_java_thread_list=")) {
        int end = i + 1;
        while (end < lines.size() && lines.get(end).startsWith("0x")) {
          end++;
        }
        folded.add(line);
        folded.add("… [heartlog run left out " + (end - i - 1) + " lines of the threads' addresses]");
        i = end;
        continue;
      }
      if (!isThreadHeader(line)) {
        folded.add(line);
        i++;
        continue;
      }
      int stackEnd = i + 1;   // after the thread's last indented line
      for (int j = i + 1; j < lines.size() && !isThreadHeader(lines.get(j)); j++) {
        String next = lines.get(j);
        if (!next.isBlank() && !Character.isWhitespace(next.charAt(0))) {
          break;
        }
        if (!next.isBlank()) {
          stackEnd = j + 1;
        }
      }
      int blankEnd = stackEnd;
      while (blankEnd < lines.size() && lines.get(blankEnd).isBlank()) {
        blankEnd++;
      }
      List<String> stack = lines.subList(i + 1, stackEnd);
      String key = String.join("\n", stack);
      boolean framed = stack.stream().anyMatch(frame -> frame.startsWith("\tat "));
      Fold fold = folds.get(key);
      if (fold != null) {
        fold.add(name(line));
      } else {
        folded.addAll(lines.subList(i, stackEnd));
        if (!framed) {
          folded.addAll(lines.subList(stackEnd, blankEnd));
        } else {
          Fold first = new Fold();
          folds.put(key, first);
          byIndex.add(first);
          first.at = folded.size();
          folded.add(null);   // the line that names the threads folded into it, if any
          folded.addAll(lines.subList(stackEnd, blankEnd));
        }
      }
      i = blankEnd;
    }
    for (Fold fold : byIndex) {
      folded.set(fold.at, fold.line());
    }
    folded.removeIf(line -> line == null);
    return folded;
  }

  /** Where the threads end: the line {@code JNI global refs: ...} HotSpot prints after them. */
  private static int endOfThreads(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("JNI global ref")) {
        return i;
      }
    }
    return lines.size();
  }

  private static String name(String header) {
    int close = header.lastIndexOf("\" #");
    return close > 0 ? header.substring(0, close + 1) : header.substring(0, header.indexOf(" tid="));
  }

  private static int chars(List<String> lines) {
    int chars = 0;
    for (String line : lines) {
      chars += line.length() + 1;
    }
    return chars;
  }

  /** The threads folded into a thread with their stack. */
  private static final class Fold {
    int at;
    int count;
    String firstName;
    String lastName;

    void add(String name) {
      count++;
      if (firstName == null) {
        firstName = name;
      }
      lastName = name;
    }

    /** Its line, or null where no thread had the same stack. */
    String line() {
      if (count == 0) {
        return null;
      }
      String names = count == 1 ? firstName : count == 2 ? firstName + " and " + lastName
          : firstName + " … " + lastName;
      return "\t… and " + count + " more thread" + (count == 1 ? "" : "s") + " with this stack, folded by heartlog run: "
          + names;
    }
  }
}
