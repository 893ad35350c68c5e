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

/**
 * The report a crashing program writes to a file it names first, as Blender's crash handler does:
 * it prints {@code Writing: /tmp/shot12.crash.txt}, writes where it crashed and the Python
 * backtrace into that file, and dies of its signal. The file is on the worker's disk, in a
 * temporary folder that a container's restart empties, and nobody reads it in time. heartlog run
 * records the line as an ERROR whose exception is the file, once the file is written: when its
 * size has stayed the same for {@link #SETTLED}, or when the stream ends (the program died), or,
 * where the file never comes, after {@link #WAIT} without it.
 *
 * <p>Lines come from a stream's reading thread, ticks from another.
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

  private final Tracebacks.Sink sink;
  private final List<Pending> pending = new ArrayList<>();

  private static final class Pending {
    final String stream;
    final Tracebacks.Line line;
    final Path file;
    long sizeSeen = -1;
    long sizeSeenSince;

    Pending(String stream, Tracebacks.Line line, Path file) {
      this.stream = stream;
      this.line = line;
      this.file = file;
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
    try {
      return Path.of(line.substring("Writing: ".length()));
    } catch (RuntimeException notAPath) {   // a NUL in it
      return null;
    }
  }

  /** The line that named a report, on {@code stream}, recorded once the report is written. */
  void line(String stream, Tracebacks.Line line, Path file) {
    synchronized (pending) {
      pending.add(new Pending(stream, line, file));
    }
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
        if (written || nowNanos - report.line.arrivedNanos() > WAIT.toNanos()) {
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
      return modified.isBefore(report.line.at().minus(CLOCK_SLACK)) ? -1 : Files.size(report.file);
    } catch (IOException | SecurityException e) {
      return -1;
    }
  }

  private void record(Pending report, boolean written) {
    Tracebacks.Line line = report.line;
    RecordMetadata metadata = new RecordMetadata(line.metadata().size() + 3);
    metadata.putAll(line.metadata());
    metadata.put("component", "blender");
    metadata.put("crash_report", report.file.toString());
    String text = written ? read(report.file) : null;
    if (text != null) {
      metadata.put("exception", text);
    }
    sink.record(line.at(), Level.ERROR, line.message(), line.task(), metadata);
  }

  /** The report's text, its first {@link #MAX_BYTES} bytes; null where it cannot be read. */
  private static String read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(MAX_BYTES);
      long more = 0;
      for (long skipped; (skipped = in.skip(1 << 20)) > 0; ) {
        more += skipped;
      }
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(head)).toString().stripTrailing();
      return more == 0 ? text : text + "\n… [heartlog run truncated " + more + " bytes of " + file + "]";
    } catch (IOException | SecurityException e) {
      return null;
    }
  }
}
