package dev.heartlog.cli;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Where a wrapped worker's stdout and stderr come from: named pipes that heartlog run reads until
 * every process holding them has closed them, not the JDK's pipes of the process.
 *
 * <p>The JDK closes a process's pipes the moment the process exits. A worker started by a
 * launcher ({@code sh start.sh}) outlives it when heartlog run is stopped: the launcher exits on
 * the SIGTERM, the worker gets it after and prints its shutdown messages, and with the JDK's pipes
 * closed those lines were lost and the worker's next write failed (Python's {@code
 * BrokenPipeError} in its own SIGTERM handler). Through named pipes the lines arrive, and the
 * readers end at the end of the output of everything that held it.
 *
 * <p>A process started by the worker that never closes its output (a daemon) would hold the end
 * back forever, so after the worker exits the caller {@linkplain #stopReading() stops reading} at
 * a deadline, and what such a process writes after that fails as it did before. Where named pipes
 * cannot be made ({@code mkfifo} missing), the JDK's pipes are used as before.
 */
final class ChildOutput implements AutoCloseable {

  private final Path folder;
  private final Stream out;
  private final Stream err;

  private ChildOutput(Path folder, Stream out, Stream err) {
    this.folder = folder;
    this.out = out;
    this.err = err;
  }

  /**
   * Sets {@code process} to write into two new named pipes and starts opening their reading
   * ends (an open waits for the writer, which {@link ProcessBuilder#start} opens). Where they
   * cannot be made, {@code process} keeps the JDK's pipes.
   */
  static ChildOutput prepare(ProcessBuilder process) {
    return prepare(process, "mkfifo");
  }

  /** The same, with the {@code mkfifo} command given; visible for testing the JDK's pipes. */
  static ChildOutput prepare(ProcessBuilder process, String mkfifoCommand) {
    Path folder = null;
    try {
      folder = Files.createTempDirectory("heartlog-run-", PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
      Path outPipe = folder.resolve("stdout");
      Path errPipe = folder.resolve("stderr");
      Process mkfifo = new ProcessBuilder(mkfifoCommand, "-m", "600", outPipe.toString(), errPipe.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!mkfifo.waitFor(5, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
        mkfifo.destroyForcibly();
        deleteQuietly(folder);
        return new ChildOutput(null, null, null);
      }
      // Should heartlog run not reach close() (a JVM that exits at once), they go at its exit:
      // files before their folder, as deleteOnExit goes in reverse order.
      folder.toFile().deleteOnExit();
      outPipe.toFile().deleteOnExit();
      errPipe.toFile().deleteOnExit();
      process.redirectOutput(ProcessBuilder.Redirect.appendTo(outPipe.toFile()));
      process.redirectError(ProcessBuilder.Redirect.appendTo(errPipe.toFile()));
      return new ChildOutput(folder, new Stream(outPipe), new Stream(errPipe));
    } catch (IOException | UnsupportedOperationException e) {
      deleteQuietly(folder);
      return new ChildOutput(null, null, null);   // no mkfifo, or no POSIX file system: the JDK's pipes
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      deleteQuietly(folder);
      return new ChildOutput(null, null, null);
    }
  }

  /** The worker's stdout, once it has started (the JDK's pipe where there are no named ones). */
  InputStream stdout(Process child) throws IOException {
    return out == null ? child.getInputStream() : out.opened();
  }

  /** The worker's stderr, the same way. */
  InputStream stderr(Process child) throws IOException {
    return err == null ? child.getErrorStream() : err.opened();
  }

  /**
   * Ends the reading: a reader waiting for more gets a line break and then the end, though some
   * process still holds the pipe. For after the worker exited and its deadline passed.
   */
  void stopReading() {
    if (out != null) {
      out.stop();
      err.stop();
    }
  }

  /**
   * Deletes the named pipes. A worker that never started never opened them: the threads waiting
   * to open their reading ends are let go first.
   */
  @Override
  public void close() {
    if (out != null) {
      out.release();
      err.release();
    }
    deleteQuietly(folder);
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException alreadyGone) {
      // Nothing was read from it.
    }
  }

  private static void deleteQuietly(Path folder) {
    if (folder == null) {
      return;
    }
    try {
      Files.deleteIfExists(folder.resolve("stdout"));
      Files.deleteIfExists(folder.resolve("stderr"));
      Files.deleteIfExists(folder);
    } catch (IOException leftInTmp) {
      // A few bytes in the temporary folder; nothing to tell the worker's user.
    }
  }

  /**
   * A named pipe's reading end as its reader reads it, until it is {@linkplain #stopReading()
   * stopped}. Its {@link #unread} bytes may be asked from another thread while the reader waits
   * in a read: a {@link FileInputStream} takes no lock for either, where the JDK's pipes of a
   * process (a {@code BufferedInputStream}) hold theirs through a read that waits.
   */
  static final class PipeStream extends InputStream {
    private final FileInputStream in;
    private final Stream stream;

    private PipeStream(FileInputStream in, Stream stream) {
      this.in = in;
      this.stream = stream;
    }

    @Override
    public int read() throws IOException {
      return stream.stopped ? -1 : in.read();
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      return stream.stopped ? -1 : in.read(bytes, offset, length);
    }

    @Override
    public int available() throws IOException {
      return stream.stopped ? 0 : in.available();
    }

    /** The bytes written into the pipe and not read yet; -1 once it is closed. For any thread. */
    int unread() {
      try {
        return available();
      } catch (IOException closed) {
        return -1;
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** One named pipe's reading end, opened on a thread of its own, and the flag that stops it. */
  private static final class Stream {
    private final File pipe;
    private final CompletableFuture<FileInputStream> opening = new CompletableFuture<>();
    private volatile boolean stopped;

    Stream(Path pipe) {
      this.pipe = pipe.toFile();
      Thread opener = new Thread(() -> {
        try {
          opening.complete(new FileInputStream(this.pipe));   // waits until the worker's side is open
        } catch (IOException e) {
          opening.completeExceptionally(e);
        }
      }, "heartlog-run-open-" + pipe.getFileName());
      opener.setDaemon(true);
      opener.start();
    }

    InputStream opened() throws IOException {
      FileInputStream in;
      try {
        in = opening.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while opening " + pipe, e);
      }
      return new PipeStream(in, this);
    }

    /**
     * Lets a thread still waiting to open the reading end go (no worker opened the other), and
     * closes what it opens; what a reader opened it closes itself.
     */
    void release() {
      if (!opening.isDone()) {
        stopped = true;
        wake();   // at once, before the pipe is deleted; no worker wrote into it, so it has room
        opening.thenAccept(ChildOutput::closeQuietly);
      }
    }

    /**
     * Sets the flag, then writes a line break into the pipe, which wakes a reader waiting in
     * {@code read}. Opened for reading and writing, which never waits on a named pipe, where
     * opening for writing alone would wait for a reader that may be gone. The write is made on a
     * thread of its own: where a process the worker left behind writes faster than heartlog
     * reads ({@code yes &}), the pipe is full, and the write waits for room that, the reader gone
     * at its next read, never comes; heartlog run waited with it for ever, where it was to stop
     * reading at its deadline. A reader is not waiting in {@code read} on a full pipe, so
     * nothing is lost by not waiting for the write.
     */
    void stop() {
      stopped = true;
      Thread waking = new Thread(this::wake, "heartlog-run-wake-" + pipe.getName());
      waking.setDaemon(true);
      waking.start();
    }

    /** Writes the line break that wakes a reader waiting in {@code read}, or waiting to open the pipe. */
    private void wake() {
      try (RandomAccessFile pipeEnd = new RandomAccessFile(pipe, "rw")) {
        pipeEnd.write('\n');
      } catch (IOException e) {
        // The pipe is gone: then no reader is waiting on it either.
      }
    }
  }
}
