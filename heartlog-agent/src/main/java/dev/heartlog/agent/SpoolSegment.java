package dev.heartlog.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.IntConsumer;

/**
 * One file of the {@link Spool}: {@link SpoolLine spool lines} appended at its end and read from
 * {@link #readOffset}, up to which the store has them. That offset is kept in the segment's
 * {@code .ack} file beside it, so the next process does not replay what was acknowledged. Used by
 * the heartbeat thread only.
 */
final class SpoolSegment {

  /** The key every record of a batch has, once ({@link SpoolLine#recordsIn} counts them so too). */
  private static final byte[] TIMESTAMP_KEY = "\"timestamp\"".getBytes(StandardCharsets.US_ASCII);

  final Path path;
  /** Where the oldest line the store does not have yet starts. */
  long readOffset;
  /** Bytes written. */
  long size;
  /** Open while this is the segment appended to; null for one left by an earlier process. */
  FileChannel writer;

  private SpoolSegment(Path path, long readOffset, long size) {
    this.path = path;
    this.readOffset = readOffset;
    this.size = size;
  }

  /** A new, empty segment to append to. */
  static SpoolSegment create(Path path) throws IOException {
    SpoolSegment segment = new SpoolSegment(path, 0, 0);
    segment.writer = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return segment;
  }

  /** A segment an earlier process left, read from where its {@code .ack} file says. */
  static SpoolSegment found(Path path) throws IOException {
    SpoolSegment segment = new SpoolSegment(path, 0, Files.size(path));
    segment.readOffset = segment.readAckOffset();
    return segment;
  }

  Path ackPath() {
    String name = path.getFileName().toString();
    return path.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".ack");
  }

  /** Writes a line at the end. */
  void append(byte[] line) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(line);
    long position = size;
    while (buffer.hasRemaining()) {
      position += writer.write(buffer, position);
    }
    size += line.length;
  }

  /** The complete line at the read offset, without its newline, or null if none. */
  byte[] readLine() throws IOException {
    if (readOffset >= size) {
      return null;
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
      long position = readOffset;
      while (channel.read(chunk.clear(), position) > 0) {
        chunk.flip();
        int start = chunk.position();
        while (chunk.hasRemaining()) {
          if (chunk.get() == '\n') {
            line.write(chunk.array(), start, chunk.position() - 1 - start);
            return line.toByteArray();
          }
        }
        line.write(chunk.array(), start, chunk.limit() - start);
        position += chunk.limit();
      }
      return null;
    }
  }

  /** The complete lines from the read offset on: the batches the store does not have yet. */
  int countCompleteLines() throws IOException {
    int[] lines = {0};
    readFromOffset(next -> {
      if (next == '\n') {
        lines[0]++;
      }
    });
    return lines[0];
  }

  /**
   * How many records the bytes from the read offset on name, by their {@code "timestamp"} keys:
   * for a segment whose last line was cut short, the records of that batch that got on disk.
   */
  long recordsAfterLastLine() throws IOException {
    long[] records = {0};
    int[] matched = {0};   // how much of the key the bytes before this one end with
    readFromOffset(next -> {
      if (next == TIMESTAMP_KEY[matched[0]]) {
        if (++matched[0] == TIMESTAMP_KEY.length) {
          records[0]++;
          matched[0] = 0;
        }
      } else {
        matched[0] = next == TIMESTAMP_KEY[0] ? 1 : 0;   // the key's quote appears only at its ends
      }
    });
    return records[0];
  }

  /** The bytes from the read offset to the end: for a segment whose last line was cut short, that line. */
  byte[] readRest() throws IOException {
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    readFromOffset(rest::write);
    return rest.toByteArray();
  }

  /** Passes each byte from the read offset to the end of the file to {@code take}. */
  private void readFromOffset(IntConsumer take) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
      long position = readOffset;
      while (channel.read(chunk.clear(), position) > 0) {
        chunk.flip();
        position += chunk.remaining();
        while (chunk.hasRemaining()) {
          take.accept(chunk.get());
        }
      }
    }
  }

  /** Keeps the read offset in the {@code .ack} file. */
  void writeAck() throws IOException {
    Files.writeString(ackPath(), Long.toString(readOffset));
  }

  private long readAckOffset() {
    try {
      return Math.min(size, Long.parseLong(Files.readString(ackPath()).trim()));
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
