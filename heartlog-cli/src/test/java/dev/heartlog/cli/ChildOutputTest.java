package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ChildOutputTest {

  /** Prints on both streams, exits, and leaves a process that prints a moment later. */
  private static final String WORKER = "echo out; echo err >&2; (sleep 0.3; echo 'after the exit') & exit 0";

  @Test
  void theOutputOfWhatTheWorkerLeftRunningIsReadToItsEnd() throws Exception {
    ProcessBuilder process = new ProcessBuilder("sh", "-c", WORKER);
    try (ChildOutput output = ChildOutput.prepare(process)) {
      Process child = process.start();
      CompletableFuture<String> out = readAll(output.stdout(child));
      CompletableFuture<String> err = readAll(output.stderr(child));

      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(out.get(10, TimeUnit.SECONDS)).isEqualTo("out\nafter the exit\n");
      assertThat(err.get(10, TimeUnit.SECONDS)).isEqualTo("err\n");
    }
  }

  @Test
  void withoutMkfifoTheJdksPipesAreReadAsBefore() throws Exception {
    ProcessBuilder process = new ProcessBuilder("sh", "-c", "echo out; echo err >&2");
    try (ChildOutput output = ChildOutput.prepare(process, "no-such-mkfifo")) {
      Process child = process.start();

      assertThat(new String(output.stdout(child).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("out\n");
      assertThat(new String(output.stderr(child).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("err\n");
    }
  }

  @Test
  void stopReadingEndsAReaderThatAProcessStillHoldsOpen() throws Exception {
    ProcessBuilder process = new ProcessBuilder("sh", "-c", "echo started; exec sleep 20");
    try (ChildOutput output = ChildOutput.prepare(process)) {
      Process child = process.start();
      InputStream stdout = output.stdout(child);
      CompletableFuture<String> out = readAll(stdout);
      try {
        Thread.sleep(300);   // the reader is waiting in read(): the pipe is open, and empty
        assertThat(out).isNotDone();

        output.stopReading();

        assertThat(out.get(10, TimeUnit.SECONDS)).startsWith("started\n");
      } finally {
        child.destroyForcibly();
      }
    }
  }

  @Test
  void stopReadingReturnsThoughAProcessKeepsThePipeFull() throws Exception {
    // A process the worker left behind that writes faster than heartlog reads: here nothing
    // reads, and the pipe is full at once. Lines of 4 KiB, so that it is full to its last byte:
    // a write of one byte still fits where the pipe's last page has room.
    ProcessBuilder process = new ProcessBuilder("sh", "-c", "exec yes \"$(printf '%4095s' x)\"");
    try (ChildOutput output = ChildOutput.prepare(process)) {
      Process child = process.start();
      InputStream stdout = output.stdout(child);
      try {
        assertThat(stdout.read()).isEqualTo(' ');
        Thread.sleep(300);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(output::stopReading);

        stopping.get(10, TimeUnit.SECONDS);   // before, it waited for ever to write into the full pipe
        assertThat(stdout.read()).as("the reader ends at its next read").isEqualTo(-1);
      } finally {
        child.destroyForcibly();
      }
    }
  }

  @Test
  void aWorkerThatNeverStartedLeavesNoThreadWaitingToOpenItsOutput() {
    long waitingBefore = openers();
    ChildOutput output = ChildOutput.prepare(new ProcessBuilder("no-such-worker"));
    await().atMost(Duration.ofSeconds(5)).until(() -> openers() == waitingBefore + 2);

    output.close();   // as heartlog run does when the command cannot start

    await().atMost(Duration.ofSeconds(5)).until(() -> openers() == waitingBefore);
  }

  /** The threads alive that open a named pipe's reading end. */
  private static long openers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("heartlog-run-open-")).count();
  }

  private static CompletableFuture<String> readAll(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }
}
