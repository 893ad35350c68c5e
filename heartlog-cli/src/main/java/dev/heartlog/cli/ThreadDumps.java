package dev.heartlog.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What heartlog run keeps of a dump of every thread's stack: HotSpot's ({@code kill -3}, {@code
 * jstack}), Go's, of every goroutine (a fatal error's, {@code concurrent map writes}; {@code
 * SIGQUIT}'s), and Python's {@code faulthandler}'s. The whole dump where it fits in {@link
 * #KEPT_CHARS}. A bigger one is a worker's pools, hundreds of threads that wait for work in the
 * same place, printed in the order they were made, and the thread that is stuck somewhere else
 * among or after them. So the threads whose stacks are an earlier thread's are folded into that
 * thread, which names how many and which; the list of the threads' addresses HotSpot prints first
 * is left out; and what is still too long is cut in the middle of the threads, keeping the dump's
 * end: the deadlocks HotSpot found and its heap's summary, Go's registers.
 */
final class ThreadDumps {

  /** Whose dump it is. */
  enum Runtime {
    /**
     * HotSpot's: a thread's first line, {@code "main" #1 prio=5 os_prio=0 ... tid=0x00007f...
     * nid=0x7114 ...}, its state, frames and locks indented below it. A thread's stack is the
     * same as another's line for line, to the locks' addresses.
     */
    JVM,
    /**
     * Go's: {@code goroutine 18 [chan receive, 2 minutes]:}, then each call over its place,
     * indented, and {@code created by main.main in goroutine 1}. A goroutine's stack is the same
     * as another's in the same state with the same calls at the same places: the arguments'
     * values, how long it waited and, in a signal's dump, the frames' addresses ({@code fp=0x...
     * sp=0x... pc=0x...}) differ from goroutine to goroutine.
     */
    GO,
    /**
     * Python's {@code faulthandler}: {@code Thread 0x00007f0338f796c0 (most recent call
     * first):}, then each frame, indented; its first 100 threads, newest first, and {@code ...}
     * after them where there were more. A thread's stack is the same as another's line for line.
     */
    PYTHON
  }

  /**
   * Go's first line of a goroutine: its number, and its state in brackets ({@code goroutine 18
   * [chan receive]:}); what may come between them is passed over (newer Go's signal dumps name
   * the goroutine's addresses there, {@code gp=0xc000007a40 m=nil}; not seen here, where Go
   * is 1.19).
   */
  private static final Pattern GOROUTINE = Pattern.compile("goroutine (\\d+) (?:[^\\[]*)\\[([^\\]]*)]:");

  /** The end of the first line of a thread in Python's {@code faulthandler} dump. */
  private static final String PYTHON_THREAD_END = " (most recent call first):";

  /** How long a goroutine has waited, after its state: {@code , 2 minutes}. */
  private static final Pattern GO_WAITED = Pattern.compile(", \\d+ minutes");

  /** The frame's addresses after a call's place in a signal's dump: {@code  fp=0xc0000347c0 sp=0x... pc=0x...}. */
  private static final Pattern GO_FRAME_ADDRESSES = Pattern.compile(" fp=0x\\p{XDigit}+ sp=0x\\p{XDigit}+ pc=0x\\p{XDigit}+$");

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

  /** A thread's first line in HotSpot's dump: {@code "main" #1 prio=5 os_prio=0 ... tid=0x00007f... nid=0x7114 ...}. */
  static boolean isThreadHeader(String line) {
    return line.startsWith("\"") && line.contains(" tid=");
  }

  private static boolean isThreadHeader(Runtime runtime, String line) {
    return switch (runtime) {
      case JVM -> isThreadHeader(line);
      case GO -> line.startsWith("goroutine ") && GOROUTINE.matcher(line).matches();
      // not Python's current thread, the one that crashed or asked for the dump: never folded
      case PYTHON -> line.endsWith(PYTHON_THREAD_END) && line.startsWith("Thread 0x");
    };
  }

  /**
   * The dump's text as kept.
   *
   * @param lines the lines read, from its first on ({@code Full thread dump ...:}, {@code fatal
   *     error: ...}), no blank line last
   * @param linesNotRead its lines after the first {@link #MAX_READ_CHARS}, only counted
   */
  static String kept(Runtime runtime, List<String> lines, int linesNotRead) {
    if (chars(lines) <= KEPT_CHARS && linesNotRead == 0) {
      return String.join("\n", lines);
    }
    Folded dump = fold(runtime, lines);
    List<String> folded = dump.lines;
    int end = linesNotRead == 0 ? dump.threadsEnd : folded.size();
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
  static List<String> folded(Runtime runtime, List<String> lines) {
    return fold(runtime, lines).lines;
  }

  /** The lines folded, and where their threads end. */
  private record Folded(List<String> lines, int threadsEnd) {
  }

  private static Folded fold(Runtime runtime, List<String> lines) {
    List<String> folded = new ArrayList<>(lines.size());
    Map<String, Fold> folds = new HashMap<>();
    List<Fold> byIndex = new ArrayList<>();
    int threadsEnd = -1;
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      if (runtime == Runtime.JVM && line.startsWith("_java_thread_list=")) {
        int end = i + 1;
        while (end < lines.size() && lines.get(end).startsWith("0x")) {
          end++;
        }
        folded.add(line);
        folded.add("… [heartlog run left out " + (end - i - 1) + " lines of the threads' addresses]");
        i = end;
        continue;
      }
      if (!isThreadHeader(runtime, line)) {
        folded.add(line);
        i++;
        continue;
      }
      int stackEnd = stackEnd(runtime, lines, i);
      int blankEnd = stackEnd;
      while (blankEnd < lines.size() && lines.get(blankEnd).isBlank()) {
        blankEnd++;
      }
      List<String> stack = lines.subList(i + 1, stackEnd);
      String key = runtime == Runtime.GO ? goStack(line, stack) : String.join("\n", stack);
      boolean framed = runtime != Runtime.JVM || stack.stream().anyMatch(frame -> frame.startsWith("\tat "));
      Fold fold = folds.get(key);
      if (fold != null) {
        fold.add(name(runtime, line));
      } else {
        folded.addAll(lines.subList(i, stackEnd));
        if (!framed) {
          folded.addAll(lines.subList(stackEnd, blankEnd));
        } else {
          Fold first = new Fold(runtime == Runtime.GO ? "goroutine" : "thread", runtime == Runtime.PYTHON ? "  " : "\t");
          folds.put(key, first);
          byIndex.add(first);
          first.at = folded.size();
          folded.add(null);   // the line that names the threads folded into it, if any
          folded.addAll(lines.subList(stackEnd, blankEnd));
        }
      }
      i = blankEnd;
      threadsEnd = folded.size();
    }
    int placesLeft = 0;
    for (Fold fold : byIndex) {
      String named = fold.line();
      folded.set(fold.at, named);
      if (named == null && fold.at < threadsEnd) {
        placesLeft++;
      }
    }
    folded.removeIf(line -> line == null);
    return new Folded(folded, threadsEnd < 0 ? folded.size() : threadsEnd - placesLeft);
  }

  /**
   * Where the thread whose first line is at {@code header} ends: after HotSpot's thread's last
   * indented line (a blank line may come among them, above {@code Locked ownable
   * synchronizers:}); before Go's goroutine's blank line, and Python's thread's.
   */
  private static int stackEnd(Runtime runtime, List<String> lines, int header) {
    int end = header + 1;
    for (int j = header + 1; j < lines.size() && !isThreadHeader(runtime, lines.get(j)); j++) {
      String next = lines.get(j);
      if (runtime != Runtime.JVM && next.isBlank()) {
        break;
      }
      if (runtime == Runtime.JVM && !next.isBlank() && !Character.isWhitespace(next.charAt(0))) {
        break;
      }
      if (!next.isBlank()) {
        end = j + 1;
      }
    }
    return end;
  }

  /** A goroutine's stack as compared with another's: its state and its calls at their places, without what differs. */
  private static String goStack(String header, List<String> stack) {
    var goroutine = GOROUTINE.matcher(header);
    StringBuilder key = new StringBuilder(goroutine.matches() ? GO_WAITED.matcher(goroutine.group(2)).replaceAll("") : header);
    for (String line : stack) {
      key.append('\n');
      if (line.startsWith("\t")) {
        key.append(GO_FRAME_ADDRESSES.matcher(line).replaceFirst(""));
      } else if (line.endsWith(")") && line.lastIndexOf('(') > 0) {
        key.append(line, 0, line.lastIndexOf('('));   // the call without its arguments' values
      } else {
        key.append(line);   // created by main.main in goroutine 1
      }
    }
    return key.toString();
  }

  private static String name(Runtime runtime, String header) {
    if (runtime == Runtime.PYTHON) {
      return header.substring(0, header.length() - PYTHON_THREAD_END.length());   // Thread 0x00007f0338f796c0
    }
    if (runtime == Runtime.GO) {
      var goroutine = GOROUTINE.matcher(header);
      return goroutine.matches() ? "goroutine " + goroutine.group(1) : header;
    }
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
    final String what;     // thread, goroutine
    final String indent;   // as the stack's frames are
    int at;
    int count;
    String firstName;
    String lastName;

    Fold(String what, String indent) {
      this.what = what;
      this.indent = indent;
    }

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
      return indent + "… and " + count + " more " + what + (count == 1 ? "" : "s") + " with this stack, folded by heartlog run: "
          + names;
    }
  }
}
