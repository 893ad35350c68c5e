package dev.heartlog.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The disk spool: batches wait here, in order, until the store acknowledges them. Every batch is
 * appended before its first send, so a batch survives a store outage of any length (up to the
 * spool's size) and the death of the process: the next process with the same worker id replays
 * what is left, and the store's batch numbers make the replay store nothing twice.
 *
 * <p>Layout: segment files {@code segment-NNNNNNNNNNNNNNNN.log} of lines {@code <crc32> <json>};
 * a segment's {@code .ack} file holds the offset up to which the store has it. A line damaged on
 * disk fails its checksum and is skipped; of a line a crash cut short (it lacks its newline) the
 * records that got on disk whole are sent ({@link SpoolLine#salvage}). {@code spool.lock} keeps a
 * second process of the same worker out.
 *
 * <p>Used by the heartbeat thread only.
 */
final class Spool implements BatchQueue {

  /** Size at which the spool starts a new segment file. */
  static final long SEGMENT_BYTES = 4L * 1024 * 1024;
  /** After a failed append (full, disk error) appends are tried again after this long. */
  static final Duration RETRY_AFTER_FULL = Duration.ofSeconds(1);

  private static final String LOCK_FILE = "spool.lock";
  private static final String PREFIX = "segment-";
  private static final String SUFFIX = ".log";
  /** A segment's number: 16 digits as written, up to what a long holds. */
  private static final Pattern SEGMENT_NUMBER = Pattern.compile("[0-9]{1,18}");

  private final Path directory;
  private final long maxBytes;
  private final SpoolSync sync;
  private final Duration syncInterval;
  private final Diagnostics diagnostics;
  private final Drops drops;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private final ArrayDeque<SpoolSegment> segments = new ArrayDeque<>();
  private SpoolSegment active;
  private long nextSegmentNumber;
  private long totalBytes;
  private int pendingBatches;
  private Batch peeked;
  private long peekedEnd;
  private long lastSyncNanos = System.nanoTime();
  private long refuseAppendsUntilNanos;

  private Spool(Path directory, long maxBytes, SpoolSync sync, Duration syncInterval, Diagnostics diagnostics,
      Drops drops, FileChannel lockChannel, FileLock lock) {
    this.directory = directory;
    this.maxBytes = maxBytes;
    this.sync = sync;
    this.syncInterval = syncInterval;
    this.diagnostics = diagnostics;
    this.drops = drops;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Opens (or creates) the spool in {@code directory}, finding the batches a previous process
   * left, and starts a new segment for this one.
   *
   * @throws IOException when the folder cannot be used or another process holds it
   */
  static Spool open(Path directory, long maxBytes, SpoolSync sync, Duration syncInterval, Diagnostics diagnostics,
      Drops drops) throws IOException {
    Files.createDirectories(directory);
    FileChannel lockChannel =
        FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException("spool folder " + directory + " is in use by another heartlog agent");
    }
    Spool spool = new Spool(directory, maxBytes, sync, syncInterval, diagnostics, drops, lockChannel, lock);
    try {
      spool.load();
      spool.startSegment();
    } catch (IOException e) {
      spool.close();
      throw e;
    }
    return spool;
  }

  @Override
  public boolean canAccept() {
    return System.nanoTime() - refuseAppendsUntilNanos >= 0;
  }

  @Override
  public boolean append(Batch batch) {
    if (!canAccept()) {
      return false;
    }
    byte[] line = SpoolLine.encode(batch);
    if (totalBytes + line.length > maxBytes) {
      refuseAppends();
      diagnostics.problem("spool-full", "spool " + directory + " is full (" + maxBytes + " bytes); new records wait in memory");
      return false;
    }
    try {
      if (active.size > 0 && active.size + line.length > SEGMENT_BYTES) {
        finishActiveSegment();
        startSegment();
      }
      active.append(line);
      totalBytes += line.length;
      pendingBatches++;
      syncIfDue();
      return true;
    } catch (IOException e) {
      undoPartialWrite();
      refuseAppends();
      diagnostics.problem("spool-write", "cannot write the spool in " + directory + ": " + e.getMessage()
          + "; new records wait in memory");
      return false;
    }
  }

  @Override
  public Batch peek() {
    while (peeked == null) {
      SpoolSegment oldest = segments.peekFirst();
      if (oldest == null) {
        return null;
      }
      byte[] line;
      try {
        line = oldest.readLine();
      } catch (IOException e) {
        diagnostics.problem("spool-read", "cannot read the spool in " + directory + ": " + e.getMessage());
        return null;
      }
      if (line == null) {
        if (oldest == active) {
          return null;
        }
        Batch salvaged = salvageCutShortBatch(oldest);
        if (salvaged == null) {
          deleteSegment(segments.pollFirst());
          continue;
        }
        pendingBatches++;
        peeked = salvaged;
        peekedEnd = oldest.size;   // its ack retires the segment
        break;
      }
      long end = oldest.readOffset + line.length + 1;
      Batch batch = SpoolLine.decode(line);
      if (batch == null) {
        drops.add(Drops.Reason.SPOOL_UNREADABLE, SpoolLine.recordsIn(line));
        pendingBatches = Math.max(0, pendingBatches - 1);
        oldest.readOffset = end;
        writeAckOffset(oldest);
        continue;
      }
      peeked = batch;
      peekedEnd = end;
    }
    return peeked;
  }

  @Override
  public void ack(Batch batch) {
    if (batch != peeked) {
      return;
    }
    SpoolSegment oldest = segments.peekFirst();
    oldest.readOffset = peekedEnd;
    peeked = null;
    pendingBatches = Math.max(0, pendingBatches - 1);
    refuseAppendsUntilNanos = System.nanoTime();
    if (oldest != active && oldest.readOffset >= oldest.size) {
      deleteSegment(segments.pollFirst());
    } else if (oldest == active && oldest.readOffset >= oldest.size) {
      emptyActiveSegment();
    } else {
      writeAckOffset(oldest);
    }
  }

  /**
   * Reads what an earlier process's segment holds after its last complete line: the batch it was
   * writing when it died, cut short, or the zeros a power loss leaves where a file's last writes
   * were not on disk yet. The records of that batch that got on disk whole are sent as the batch
   * (its number, so a batch the store has already is not stored twice); the record cut after
   * them counts as dropped (where none got on disk whole, the records named in it). A process
   * that dies before the batch is acknowledged leaves the next to count that record again.
   * Before, the whole batch was dropped, and earlier still went with the segment without a word.
   *
   * @return the records read whole, as their batch; null where none could be read
   */
  private Batch salvageCutShortBatch(SpoolSegment segment) {
    long bytes = segment.size - segment.readOffset;
    if (bytes <= 0) {
      return null;
    }
    long named;
    SpoolLine.Salvaged salvaged;
    try {
      named = segment.recordsAfterLastLine();
      salvaged = SpoolLine.salvage(segment.readRest());
    } catch (IOException e) {
      named = 0;
      salvaged = SpoolLine.Salvaged.UNREADABLE;
    }
    int read = salvaged.batch() == null ? 0 : salvaged.batch().records().size();
    // Where the batch's numbers were read, the record cut after the whole ones is the one lost
    // (the rest never got on disk); else the records its text names, by their "timestamp" keys.
    long lost = salvaged.readable() ? (salvaged.recordCut() ? 1 : 0) : named;
    if (lost > 0) {
      drops.add(Drops.Reason.SPOOL_UNREADABLE, lost);
    }
    String fate;
    if (read > 0) {
      fate = Diagnostics.count(read, "record in it got on disk whole and is", "records in it got on disk whole and are")
          + " sent" + (lost > 0 ? ", " + Diagnostics.count(lost, "record is", "records are") + " lost" : "");
    } else {
      fate = lost > 0 ? Diagnostics.count(lost, "record in it is", "records in it are") + " lost"
          : "no record in it could be read";
    }
    diagnostics.info("spool segment " + segment.path + " ends in " + bytes + " bytes of a batch cut short "
        + "(the process that wrote it stopped while writing it, or the machine lost power); " + fate);
    return salvaged.batch();
  }

  /** Everything written to the active segment is acknowledged: give its space back. */
  private void emptyActiveSegment() {
    try {
      active.writer.truncate(0);
      totalBytes -= active.size;
      active.size = 0;
      active.readOffset = 0;
      Files.deleteIfExists(active.ackPath());
    } catch (IOException e) {
      writeAckOffset(active);
    }
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public int pendingBatches() {
    return pendingBatches;
  }

  @Override
  public long pendingBytes() {
    long bytes = 0;
    for (SpoolSegment segment : segments) {
      bytes += segment.size - segment.readOffset;
    }
    return bytes;
  }

  Path directory() {
    return directory;
  }

  @Override
  public void close() {
    try {
      if (active != null && active.writer != null) {
        if (sync != SpoolSync.NEVER) {
          active.writer.force(false);
        }
        active.writer.close();
      }
      if (active != null && active.size == 0 && active.readOffset == 0) {
        Files.deleteIfExists(active.path);
      }
    } catch (IOException e) {
      diagnostics.problem("spool-close", "could not close the spool cleanly: " + e.getMessage());
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException ignored) {
      // The lock goes with the process anyway.
    }
  }

  private void load() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
      stream.forEach(files::add);
    }
    files.sort(null);
    for (Path file : files) {
      // A file or folder of that name that is not one of heartlog's segments, or one it cannot
      // read, is left where it is: before, any of them made the whole spool unusable (records
      // waited in memory only) and the batches of the segments beside it were not replayed.
      String name = file.getFileName().toString();
      String digits = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
      if (!SEGMENT_NUMBER.matcher(digits).matches() || !Files.isRegularFile(file)) {
        diagnostics.info("spool " + directory + " holds " + name
            + ", which is no segment heartlog wrote; left as it is");
        continue;
      }
      SpoolSegment segment;
      int lines;
      try {
        segment = SpoolSegment.found(file);
        lines = segment.countCompleteLines();
      } catch (IOException e) {
        diagnostics.info("cannot read spool segment " + file + " (" + FileErrors.describe(e)
            + "); left as it is, its batches not replayed");
        continue;
      }
      nextSegmentNumber = Math.max(nextSegmentNumber, Long.parseLong(digits) + 1);
      segments.addLast(segment);
      totalBytes += segment.size;
      pendingBatches += lines;
    }
    if (pendingBatches > 0) {
      diagnostics.info("spool " + directory + " holds " + Diagnostics.count(pendingBatches, "batch", "batches")
          + " from an earlier run; replaying " + (pendingBatches == 1 ? "it" : "them") + " first");
    }
  }

  private void startSegment() throws IOException {
    // Locale.ROOT: in some locales (ar-EG, fa-IR) %d writes digits other than ASCII's.
    Path path = directory.resolve(String.format(Locale.ROOT, "%s%016d%s", PREFIX, nextSegmentNumber++, SUFFIX));
    SpoolSegment segment = SpoolSegment.create(path);
    segments.addLast(segment);
    active = segment;
  }

  private void finishActiveSegment() throws IOException {
    if (sync != SpoolSync.NEVER) {
      active.writer.force(false);
    }
    active.writer.close();
    active.writer = null;
  }

  private void syncIfDue() throws IOException {
    long now = System.nanoTime();
    if (sync == SpoolSync.ALWAYS || (sync == SpoolSync.INTERVAL && now - lastSyncNanos >= syncInterval.toNanos())) {
      active.writer.force(false);
      lastSyncNanos = now;
    }
  }

  private void undoPartialWrite() {
    try {
      active.writer.truncate(active.size);
    } catch (IOException ignored) {
      // A torn line left behind fails its checksum on replay and is skipped.
    }
  }

  private void refuseAppends() {
    refuseAppendsUntilNanos = System.nanoTime() + RETRY_AFTER_FULL.toNanos();
  }

  private void deleteSegment(SpoolSegment segment) {
    try {
      if (segment.writer != null) {
        segment.writer.close();
      }
      totalBytes -= segment.size;
      Files.deleteIfExists(segment.path);
      Files.deleteIfExists(segment.ackPath());
    } catch (IOException e) {
      diagnostics.problem("spool-delete", "could not delete spool segment " + segment.path + ": " + e.getMessage());
    }
  }

  private void writeAckOffset(SpoolSegment segment) {
    try {
      segment.writeAck();
    } catch (IOException e) {
      // Without it a restart replays acknowledged batches, which the store recognises.
      diagnostics.problem("spool-ack", "could not record progress in " + segment.ackPath() + ": " + e.getMessage());
    }
  }
}
