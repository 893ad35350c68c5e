package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
   * A process that writes {@code first} bytes into its stdout, then, once {@code go} exists,
   * {@code second} more, and then waits to be ended.
   */
  private ProcessBuilder writer(int first, int second, Path go) {
    return new ProcessBuilder("sh", "-c", "head -c " + first + " /dev/zero; "
        + "while [ ! -f '" + go + "' ]; do sleep 0.01; done; head -c " + second + " /dev/zero; exec sleep 20");
  }

  private static void awaitUnread(InputStream stdout, int bytes) {
    await().atMost(Duration.ofSeconds(10)).until(() -> ((ChildOutput.PipeStream) stdout).unread() == bytes);
  }

  @Test
  void bytesWaitingAtTheOtherStreamsReadAreFiledBeforeItAndTheReadEndsAtThem() throws Exception {
    Path go = folder.resolve("go");
    ProcessBuilder process = writer(40_000, 10_000, go);
    try (ChildOutput output = ChildOutput.prepare(process)) {
      Process child = process.start();
      try {
        InputStream stdout = output.stdout(child);
        StreamBacklog backlog = new StreamBacklog();
        backlog.readFrom(stdout);
        awaitUnread(stdout, 40_000);

        long otherRead = System.nanoTime();
        backlog.otherRead(otherRead);   // 40,000 bytes waiting: written before it
        Files.createFile(go);
        awaitUnread(stdout, 50_000);

        byte[] chunk = new byte[65_536];
        int[] reads = new int[4];
        long[] filed = new long[4];
        for (int i = 0; i < 4; i++) {
          reads[i] = stdout.read(chunk, 0, backlog.readLength(16_384));
          filed[i] = backlog.filedAt(reads[i], System.nanoTime());
        }

        assertThat(reads).as("reads end at the mark, then go on").containsExactly(16_384, 16_384, 7_232, 10_000);
        assertThat(filed[0]).as("a microsecond for each 16 bytes before the mark")
            .isEqualTo(otherRead - 40_000 / StreamBacklog.BYTES_A_MICROSECOND * 1_000);
        assertThat(filed[1]).isEqualTo(otherRead - (40_000 - 16_384) / StreamBacklog.BYTES_A_MICROSECOND * 1_000);
        assertThat(filed[2] - otherRead).isNegative();
        assertThat(filed[3] - otherRead).as("written after the other stream's read: as read").isPositive();
      } finally {
        child.destroy();
      }
    }
  }

  @Test
  void aBacklogIsNotFiledBeforeTheOtherStreamsReadBeforeIt() throws Exception {
    Path go = folder.resolve("go");
    ProcessBuilder process = writer(1_000, 40_000, go);
    try (ChildOutput output = ChildOutput.prepare(process)) {
      Process child = process.start();
      try {
        InputStream stdout = output.stdout(child);
        StreamBacklog backlog = new StreamBacklog();
        backlog.readFrom(stdout);
        awaitUnread(stdout, 1_000);
        long earlierRead = System.nanoTime();
        backlog.otherRead(earlierRead);   // 1,000 bytes: too few to be taken as written before it
        Files.createFile(go);
        awaitUnread(stdout, 41_000);
        // Read 1 ms later, where the 41,000 bytes would be filed 2.6 ms before it: past the read
        // before, which may have changed the task.
        long otherRead = earlierRead + 1_000_000;
        backlog.otherRead(otherRead);

        int read = stdout.read(new byte[16_384], 0, backlog.readLength(16_384));

        assertThat(read).isEqualTo(16_384);
        assertThat(backlog.filedAt(read, otherRead + 5_000_000)).isEqualTo(earlierRead + 1);
      } finally {
        child.destroy();
      }
    }
  }

  @Test
  void fewerBytesWaitingThanMakeABacklogAreFiledAsRead() throws Exception {
    Path go = folder.resolve("go");
    ProcessBuilder process = writer(StreamBacklog.BEHIND_BYTES - 1, 0, go);
    try (ChildOutput output = ChildOutput.prepare(process)) {
      Process child = process.start();
      try {
        InputStream stdout = output.stdout(child);
        StreamBacklog backlog = new StreamBacklog();
        backlog.readFrom(stdout);
        awaitUnread(stdout, StreamBacklog.BEHIND_BYTES - 1);
        backlog.otherRead(System.nanoTime());

        long readAt = System.nanoTime();
        int read = stdout.read(new byte[65_536], 0, backlog.readLength(65_536));

        assertThat(read).isEqualTo(StreamBacklog.BEHIND_BYTES - 1);
        assertThat(backlog.filedAt(read, readAt)).isEqualTo(readAt);
      } finally {
        child.destroy();
      }
    }
  }
}
