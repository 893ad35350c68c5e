package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report a crashing program writes to a file it names first, as Blender's crash handler does:
 * it prints {@code Writing: /tmp/shot12.crash.txt}, writes where it crashed and the Python
 * backtrace into that file, and dies of its signal. The file is on the worker's disk, in a
 * temporary folder that a container's restart empties, and nobody reads it in time. heartlog run
 * records the line as an ERROR whose exception is the file, once the file is written: when its
 * size has stayed the same for {@link #SETTLED}, or when the stream ends (the program died), or,
 * where the file never comes, after {@link #WAIT} without it.
 *
 * <p>HotSpot's crash of the JVM, likewise: it prints its report's first part on stdout, which
 * ends with the file it writes the whole report to ({@code # /app/hs_err_pid4242.log}), the
 * crashed thread's native and Java frames among it, where a JNI library was called from. The
 * record of that first part ({@link OpenTraceback}, its file in {@code crash_report}) waits here
 * for the file as the line does, and its exception is the file up to the registers' values.
 *
 * <p>Lines and records come from a stream's reading thread, ticks from another.
 */
final class CrashReports {

  /** How long to wait for a report named but not written. */
  static final Duration WAIT = Duration.ofSeconds(5);
  /** How long a report's size stays the same before it is taken as written. */
  static final Duration SETTLED = Duration.ofMillis(250);
  /** How much of a report is kept: as much as of a failed exit's last lines. */
  static final int MAX_BYTES = 8 * 1024;
  /**
   * How much older than its line a report may be and still be this crash's: a file system dates
   * a file by a clock coarser than the line's; one from an earlier crash, written to the same
   * name, is older still.
   */
  private static final Duration CLOCK_SLACK = Duration.ofSeconds(1);

  /**
   * Where HotSpot's report ends what a program's crash says ({@code Registers:}, then the values
   * of every register, each hex, and the memory they point at): no more of it is kept.
   */
  private static final String JVM_REGISTERS = "\nRegisters:\n";

  private final Tracebacks.Sink sink;
  private final List<Pending> pending = new ArrayList<>();

  /** A record waiting for the report its program named. */
  private static final class Pending {
    final String stream;
    final Instant at;
    final Level level;
    final String message;
    final String task;
    final Map<String, Object> metadata;
    final long arrivedNanos;
    final Path file;
    final boolean jvm;              // HotSpot's: the file begins with the exception printed
    long sizeSeen = -1;
    long sizeSeenSince;

    Pending(String stream, Instant at, Level level, String message, String task, Map<String, Object> metadata,
        long arrivedNanos, Path file, boolean jvm) {
      this.stream = stream;
      this.at = at;
      this.level = level;
      this.message = message;
      this.task = task;
      this.metadata = metadata;
      this.arrivedNanos = arrivedNanos;
      this.file = file;
      this.jvm = jvm;
    }
  }

  CrashReports(Tracebacks.Sink sink) {
    this.sink = sink;
  }

  /** The report a line names ({@code Writing: /tmp/shot12.crash.txt}), or null for any other line. */
  static Path named(String line) {
    if (!line.startsWith("Writing: /") || !line.endsWith(".crash.txt")) {
      return null;
    }
    return path(line.substring("Writing: ".length()));
  }

  /** The file HotSpot writes its whole report to, the line of its printed part below {@code saved as:}; else null. */
  static Path namedByJvm(String line) {
    return line.startsWith("# /") ? path(line.substring(2).strip()) : null;
  }

  private static Path path(String text) {
    try {
      return Path.of(text);
    } catch (RuntimeException notAPath) {   // a NUL in it
      return null;
    }
  }

  /** The line that named a report, on {@code stream}, recorded once the report is written. */
  void line(String stream, Tracebacks.Line line, Path file) {
    RecordMetadata metadata = new RecordMetadata(line.metadata().size() + 3);
    metadata.putAll(line.metadata());
    metadata.put("component", "blender");
    metadata.put("crash_report", file.toString());
    synchronized (pending) {
      pending.add(new Pending(stream, line.at(), Level.ERROR, line.message(), line.task(), metadata,
          line.arrivedNanos(), file, false));
    }
  }

  /**
   * {@code next}, but for the record of HotSpot's printed report ({@code crash_report} in its
   * metadata, its exception that report): it waits, on {@code stream}, for the file.
   */
  Tracebacks.Sink waitingForReports(String stream, Tracebacks.Sink next) {
    return (at, level, message, task, metadata) -> {
      if (metadata.get("crash_report") instanceof String file && metadata.get("exception") instanceof String printed
          && printed.startsWith(JdkLines.JVM_CRASH_MARGIN) && path(file) != null) {
        synchronized (pending) {
          pending.add(new Pending(stream, at, level, message, task, metadata, System.nanoTime(), path(file), true));
        }
      } else {
        next.record(at, level, message, task, metadata);
      }
    };
  }

  /** Records each report written since the last tick, and each waited for too long. */
  void tick(long nowNanos) {
    synchronized (pending) {
      pending.removeIf(report -> {
        long size = sizeIfThisCrashs(report);
        if (size != report.sizeSeen) {
          report.sizeSeen = size;
          report.sizeSeenSince = nowNanos;
        }
        boolean written = size > 0 && nowNanos - report.sizeSeenSince >= SETTLED.toNanos();
        if (written || nowNanos - report.arrivedNanos > WAIT.toNanos()) {
          record(report, size > 0);
          return true;
        }
        return false;
      });
    }
  }

  /**
   * A stream ended, the program that printed on it gone: each report its lines named is as
   * written as it will be. Those the other stream named wait on (a worker may close one early).
   */
  void end(String stream) {
    synchronized (pending) {
      pending.removeIf(report -> {
        if (!report.stream.equals(stream)) {
          return false;
        }
        record(report, sizeIfThisCrashs(report) > 0);
        return true;
      });
    }
  }

  /** The report's size, or -1 where it is not there or older than its line. */
  private static long sizeIfThisCrashs(Pending report) {
    try {
      Instant modified = Files.getLastModifiedTime(report.file).toInstant();
      return modified.isBefore(report.at.minus(CLOCK_SLACK)) ? -1 : Files.size(report.file);
    } catch (IOException | SecurityException e) {
      return -1;
    }
  }

  private void record(Pending report, boolean written) {
    Map<String, Object> metadata = report.metadata;
    String text = written ? read(report.file, report.jvm ? JVM_REGISTERS : null) : null;
    // HotSpot's file begins with the part it printed; one that does not is no report of this crash
    if (text != null && (!report.jvm || text.startsWith(JdkLines.JVM_CRASH_MARGIN + "\n"))) {
      metadata.put("exception", text);
    }
    sink.record(report.at, report.level, report.message, report.task, metadata);
  }

  /**
   * The report's text, its first {@link #MAX_BYTES} bytes, up to {@code end} where that comes in
   * them; null where it cannot be read.
   */
  private static String read(Path file, String end) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(MAX_BYTES);
      long more = 0;
      for (long skipped; (skipped = in.skip(1 << 20)) > 0; ) {
        more += skipped;
      }
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(head)).toString();
      int cut = end == null ? -1 : text.indexOf(end);
      if (cut >= 0) {
        more += text.substring(cut).getBytes(StandardCharsets.UTF_8).length;
        text = text.substring(0, cut);
      }
      text = text.stripTrailing();
      return more == 0 ? text : text + "\n… [heartlog run truncated " + more + " bytes of " + file + "]";
    } catch (IOException | SecurityException e) {
      return null;
    }
  }
}
