package dev.heartlog.cli;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The newest records a filter asks for, handed on oldest first without holding them all. The
 * store lists the newest first, a page at a time; past one page they are written to a temporary
 * file as they come, and the pages are read back from the oldest: {@code heartlog logs --limit
 * 1000000} held 864,000 records at once and ran out of a 512 MB heap.
 */
final class PagedListing {

  /** Records read from the store at a time, and the most held at once. */
  static final int PAGE = 10_000;

  private PagedListing() {}

  /** A listing the store reads a page at a time, newest first, each page returned oldest first. */
  interface Pages {

    /** The newest {@code limit} records, oldest first. */
    List<StoredRecord> newest(int limit);

    /** The newest {@code limit} of those after record {@code id} in the listing's order, oldest first. */
    List<StoredRecord> before(long id, int limit);
  }

  /**
   * The errors of kind {@code kindId} made in {@code [since, until)}, of {@code workerId} and
   * {@code taskId} where given ({@link Store#errorsOfKind}), as pages.
   */
  static Pages errorsOfKind(Store store, String kindId, String workerId, String taskId, Instant since, Instant until) {
    return new Pages() {
      @Override
      public List<StoredRecord> newest(int limit) {
        return store.errorsOfKind(kindId, workerId, taskId, since, until, null, limit);
      }

      @Override
      public List<StoredRecord> before(long id, int limit) {
        return store.errorsOfKind(kindId, workerId, taskId, since, until, id, limit);
      }
    };
  }

  /**
   * Hands {@code action} the records {@code filter} lists, oldest first, reading them {@code
   * pageSize} at a time; returns how many there were.
   */
  static long eachOldestFirst(Store store, LogFilter filter, int pageSize, Consumer<StoredRecord> action)
      throws IOException {
    Pages pages = new Pages() {
      @Override
      public List<StoredRecord> newest(int limit) {
        return store.logs(withLimit(filter, limit));
      }

      @Override
      public List<StoredRecord> before(long id, int limit) {
        return store.logsBefore(withLimit(filter, limit), id);
      }
    };
    return eachOldestFirst(pages, filter.limit(), pageSize, action);
  }

  /**
   * Hands {@code action} the newest {@code limit} records of {@code pages}, oldest first, reading
   * them {@code pageSize} at a time; returns how many there were.
   */
  static long eachOldestFirst(Pages pages, int limit, int pageSize, Consumer<StoredRecord> action) throws IOException {
    List<StoredRecord> page = pages.newest(Math.min(pageSize, limit));
    if (page.size() < pageSize || page.size() == limit) {
      page.forEach(action);
      return page.size();
    }
    Path file = Files.createTempFile("heartlog-logs-", ".pages");
    try {
      List<Long> pageStarts = new ArrayList<>();
      long count = 0;
      try (Counting counted = new Counting(Files.newOutputStream(file));
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(counted, 1 << 16))) {
        while (true) {
          out.flush();
          pageStarts.add(counted.written);
          out.writeInt(page.size());
          for (StoredRecord record : page) {
            write(out, record);
          }
          count += page.size();
          long left = limit - count;
          if (page.size() < pageSize || left == 0) {
            break;
          }
          int asked = (int) Math.min(pageSize, left);
          page = pages.before(page.get(0).id(), asked);
          if (page.isEmpty()) {
            break;
          }
        }
      }
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        for (int i = pageStarts.size() - 1; i >= 0; i--) {
          channel.position(pageStarts.get(i));
          DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
          int records = in.readInt();
          for (int r = 0; r < records; r++) {
            action.accept(read(in));
          }
        }
      }
      return count;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static LogFilter withLimit(LogFilter f, int limit) {
    return new LogFilter(f.workerId(), f.taskId(), f.minimumLevel(), f.since(), f.until(), f.grep(), f.component(),
        f.metadata(), limit);
  }

  private static void write(DataOutputStream out, StoredRecord r) throws IOException {
    out.writeLong(r.id());
    writeInstant(out, r.timestamp());
    writeInstant(out, r.receivedAt());
    writeString(out, r.level());
    writeString(out, r.message());
    writeString(out, r.workerId());
    writeString(out, r.taskId());
    writeString(out, r.metadataJson());
    writeString(out, r.exception());
    writeString(out, r.sessionId());
    out.writeBoolean(r.sequence() != null);
    if (r.sequence() != null) {
      out.writeLong(r.sequence());
    }
  }

  private static StoredRecord read(DataInputStream in) throws IOException {
    long id = in.readLong();
    Instant timestamp = readInstant(in);
    Instant receivedAt = readInstant(in);
    String level = readString(in);
    String message = readString(in);
    String workerId = readString(in);
    String taskId = readString(in);
    String metadataJson = readString(in);
    String exception = readString(in);
    String sessionId = readString(in);
    Long sequence = in.readBoolean() ? in.readLong() : null;
    return new StoredRecord(id, timestamp, receivedAt, level, message, workerId, taskId, metadataJson, exception,
        sessionId, sequence);
  }

  private static void writeInstant(DataOutputStream out, Instant at) throws IOException {
    out.writeBoolean(at != null);
    if (at != null) {
      out.writeLong(at.getEpochSecond());
      out.writeInt(at.getNano());
    }
  }

  private static Instant readInstant(DataInputStream in) throws IOException {
    return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
  }

  /** A string's UTF-8 length (-1 for null) and bytes: writeUTF takes at most 65,535 bytes. */
  private static void writeString(DataOutputStream out, String text) throws IOException {
    if (text == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    return length < 0 ? null : new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /** Counts the bytes written, past the 2 GB that {@link DataOutputStream#size} stops at. */
  private static final class Counting extends FilterOutputStream {
    long written;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      written++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      written += len;
    }
  }
}
