package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What waits in a worker's pipe while the other stream is read ({@link StreamBacklog}), through a
 * real named pipe ({@link ChildOutput}) that a process writes into and nothing reads until the
 * test does.
 */
@Timeout(30)
class StreamBacklogTest {

  @TempDir Path folder;

  /**
   * A process writing into its stdout, a named pipe nothing reads until the test does, and the
   * backlog of that stream: {@code first} bytes at once, then, once {@link #goOn}, {@code second}
   * more; then it waits to be ended.
   */
  private final class Writer implements AutoCloseable {
    private final Path go = folder.resolve("go");
    private final ChildOutput output;
    private final Process child;
    final InputStream stdout;
    final StreamBacklog backlog = new StreamBacklog();

    Writer(int first, int second) throws IOException {
      ProcessBuilder process = new ProcessBuilder("sh", "-c", "head -c " + first + " /dev/zero; "
          + "while [ ! -f '" + go + "' ]; do sleep 0.01; done; head -c " + second + " /dev/zero; exec sleep 20");
      output = ChildOutput.prepare(process);
      child = process.start();
      stdout = output.stdout(child);
      backlog.readFrom(stdout);
    }

    /** Waits until {@code bytes} wait in the pipe. */
    void awaitUnread(int bytes) {
      await().atMost(Duration.ofSeconds(10)).until(() -> ((ChildOutput.PipeStream) stdout).unread() == bytes);
    }

    /** Writes the second part. */
    void goOn() throws IOException {
      Files.createFile(go);
    }

    @Override
    public void close() {
      child.destroy();
      output.close();
    }
  }

  @Test
  void bytesWaitingAtTheOtherStreamsReadAreFiledBeforeItAndTheReadEndsAtThem() throws Exception {
    try (Writer writer = new Writer(40_000, 10_000)) {
      StreamBacklog backlog = writer.backlog;
      writer.awaitUnread(40_000);
      long otherRead = System.nanoTime();
      backlog.otherRead(otherRead);   // 40,000 bytes waiting: written before it
      writer.goOn();
      writer.awaitUnread(50_000);

      byte[] chunk = new byte[65_536];
      int[] reads = new int[4];
      long[] filed = new long[4];
      for (int i = 0; i < 4; i++) {
        reads[i] = writer.stdout.read(chunk, 0, backlog.readLength(16_384));
        filed[i] = backlog.filedAt(reads[i], System.nanoTime());
      }

      assertThat(reads).as("reads end at the mark, then go on").containsExactly(16_384, 16_384, 7_232, 10_000);
      assertThat(filed[0]).as("a microsecond for each 16 bytes before the mark")
          .isEqualTo(otherRead - 40_000 / StreamBacklog.BYTES_A_MICROSECOND * 1_000);
      assertThat(filed[1]).isEqualTo(otherRead - (40_000 - 16_384) / StreamBacklog.BYTES_A_MICROSECOND * 1_000);
      assertThat(filed[2] - otherRead).isNegative();
      assertThat(filed[3] - otherRead).as("written after the other stream's read: as read").isPositive();
    }
  }

  @Test
  void aBacklogIsNotFiledBeforeTheOtherStreamsReadBeforeIt() throws Exception {
    try (Writer writer = new Writer(1_000, 40_000)) {
      StreamBacklog backlog = writer.backlog;
      writer.awaitUnread(1_000);
      long earlierRead = System.nanoTime();
      backlog.otherRead(earlierRead);   // 1,000 bytes: too few to be taken as written before it
      writer.goOn();
      writer.awaitUnread(41_000);
      // Read 1 ms later, where the 41,000 bytes would be filed 2.6 ms before it: past the read
      // before, which may have changed the task.
      long otherRead = earlierRead + 1_000_000;
      backlog.otherRead(otherRead);

      int read = writer.stdout.read(new byte[16_384], 0, backlog.readLength(16_384));

      assertThat(read).isEqualTo(16_384);
      assertThat(backlog.filedAt(read, otherRead + 5_000_000)).isEqualTo(earlierRead + 1);
    }
  }

  @Test
  void fewerBytesWaitingThanMakeABacklogAreFiledAsRead() throws Exception {
    try (Writer writer = new Writer(StreamBacklog.BEHIND_BYTES - 1, 0)) {
      StreamBacklog backlog = writer.backlog;
      writer.awaitUnread(StreamBacklog.BEHIND_BYTES - 1);
      backlog.otherRead(System.nanoTime());

      long readAt = System.nanoTime();
      int read = writer.stdout.read(new byte[65_536], 0, backlog.readLength(65_536));

      assertThat(read).isEqualTo(StreamBacklog.BEHIND_BYTES - 1);
      assertThat(backlog.filedAt(read, readAt)).isEqualTo(readAt);
    }
  }
}
