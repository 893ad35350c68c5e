package dev.heartlog.cli;

import java.io.InputStream;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What heartlog run has still to read of one of the worker's streams, so that its lines that
 * waited in the pipe while the other stream was read are filed, and stamped, as written before
 * what that read held, not as read after it.
 *
 * <p>stdout and stderr are read apart, each line filed under the task current when it was read
 * ({@link TaskChanges}). That holds while both readers keep up. A worker that logs faster than
 * its reader parses (a retry loop's 5,000 errors on stderr) fills the pipe, and its write waits
 * until the reader makes room; when it then prints {@code Task failed} on stdout, up to 64 KiB of
 * its stderr lines are still in the pipe, all written before that line, and they were read after
 * it: 510 to 959 of the 5,000 were filed under no task in each of 8 runs, and their count was
 * stamped after the task's end. So at each read of one stream, the bytes then waiting in the
 * other's pipe are marked ({@link #otherRead}): that stream's reader reads up to the mark and no
 * further in one read, and files what it read so as read before the other's read ({@link
 * #filedAt}): under the task current then, and stamped before it. None was filed under no task
 * in 14 runs of 18 since, 112 to 218 in 4.
 *
 * <p>Only where the reader is {@link #BEHIND_BYTES} behind: bytes the worker wrote to this stream
 * just after what the other read holds, in the moment before heartlog read it, are filed before
 * it too, and fewer unread bytes may be no more than those. Only for the named pipes heartlog run
 * reads ({@link ChildOutput}), whose unread bytes can be asked while their reader waits in a
 * read.
 *
 * <p>Its reader calls {@link #readLength} and {@link #filedAt}; the other stream's reader, {@link
 * #otherRead}.
 */
final class StreamBacklog {

  /**
   * How many unread bytes make a reader behind: a quarter of Linux's pipe of 64 KiB. Fewer may
   * be lines the worker wrote in the moment between printing the other stream's line and heartlog
   * reading it (a next task's first lines: 5 KiB of a Python worker's flood in one run, 1-2 ms);
   * a reader this far behind holds lines written before it.
   */
  static final int BEHIND_BYTES = 16 * 1024;

  /**
   * Bytes of a backlog given a microsecond of its own before the read it is filed before: its
   * lines are stamped a microsecond apart, and few are shorter.
   */
  static final int BYTES_A_MICROSECOND = 16;

  /**
   * The other stream was read at {@code otherReadNanos}, when this one's unread bytes ended at
   * {@code end}; it was read before that at {@code earlierReadNanos}, where {@code earlierRead}.
   */
  private record Mark(long end, long otherReadNanos, boolean earlierRead, long earlierReadNanos) {}

  private final ConcurrentLinkedQueue<Mark> marks = new ConcurrentLinkedQueue<>();
  /** The stream's named pipe, or null: the JDK's pipe, or not started. */
  private volatile ChildOutput.PipeStream pipe;
  /** The bytes its reader has read. */
  private volatile long read;
  /** The other stream's last read, for its next mark; the other stream's reader's alone. */
  private boolean otherReadBefore;
  private long otherReadNanos;

  /** The stream its reader reads: a named pipe's unread bytes can be told; other streams' cannot. */
  void readFrom(InputStream stream) {
    pipe = stream instanceof ChildOutput.PipeStream named ? named : null;
  }

  /**
   * The other stream was read at {@code readNanos}: the bytes waiting in this stream's pipe now,
   * where they are {@link #BEHIND_BYTES} or more, were written before what that read holds.
   */
  void otherRead(long readNanos) {
    ChildOutput.PipeStream named = pipe;
    if (named == null) {
      return;
    }
    long readSoFar = read;   // before the unread bytes: a read between the two only lowers the end
    int unread = named.unread();
    if (unread >= BEHIND_BYTES) {
      marks.add(new Mark(readSoFar + unread, readNanos, otherReadBefore, otherReadNanos));
    }
    otherReadBefore = true;
    otherReadNanos = readNanos;
  }

  /** How many bytes the next read may take, of {@code room}: no further than the next mark. */
  int readLength(int room) {
    Mark next = nextMark();
    return next == null ? room : (int) Math.min(room, next.end() - read);
  }

  /**
   * Its reader has read {@code bytes} at {@code readNanos}: the time to file them at, which is
   * before the earliest read of the other stream they waited through, by a microsecond for each
   * {@link #BYTES_A_MICROSECOND} bytes from their start to the mark, so that the backlog's lines,
   * stamped a microsecond apart, are stamped before that read (all of them, unless their lines
   * are shorter); and after the other stream's read before it, past which a change of task may
   * lie.
   */
  long filedAt(int bytes, long readNanos) {
    Mark next = nextMark();
    long start = read;
    read += bytes;
    if (next == null) {
      return readNanos;
    }
    if (read >= next.end()) {
      marks.remove(next);
    }
    if (next.otherReadNanos() - readNanos >= 0) {
      return readNanos;   // read before the other stream's read: as it was read
    }
    long microseconds = (next.end() - start + BYTES_A_MICROSECOND - 1) / BYTES_A_MICROSECOND;
    long filed = next.otherReadNanos() - microseconds * 1_000;
    return next.earlierRead() && filed - next.earlierReadNanos() <= 0 ? next.earlierReadNanos() + 1 : filed;
  }

  /** The next mark not reached yet; those reached (by reads that ended past them) are dropped. */
  private Mark nextMark() {
    Mark next = marks.peek();
    while (next != null && next.end() <= read) {
      marks.poll();
      next = marks.peek();
    }
    return next;
  }
}
