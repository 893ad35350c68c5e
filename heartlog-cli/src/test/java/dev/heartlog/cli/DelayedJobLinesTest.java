package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Delayed Job worker's lines, as {@link ChildLineParser} reads them ({@link DelayedJobLines})
 * and heartlog run stores them. The replayed lines are what Debian's Delayed Job 4.1.9 (with
 * ActiveRecord 6.1 on SQLite, Ruby 3.1.2) printed through Ruby's {@code Logger} on stdout, working
 * off two jobs, the second of which raised, with one attempt allowed.
 */
class DelayedJobLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aJobsLineNamesItsTaskAndWorkerWithoutTheLoggersOrTheWorkersPrefix() {
    ChildLineParser.Parsed running = parser.parse("I, [2026-12-03T15:09:30.854435 #20663]  INFO -- : 2026-12-03T15:09:30+0000: "
        + "[Worker(host:vm pid:20663)] Job RenderJob (id=1) (queue=render) RUNNING", Level.INFO, "stdout");
    ChildLineParser.Parsed rails = parser.parse("2026-12-03T15:09:30+0000: [Worker(host:vm pid:20663)] Job RenderJob (id=2) "
        + "FAILED (0 prior attempts) with ArgumentError: bad frame 13", Level.INFO, "stdout");

    assertThat(running.message()).isEqualTo("Job RenderJob (id=1) (queue=render) RUNNING");
    assertThat(running.task()).isEqualTo("1");
    assertThat(running.endsTask()).isFalse();
    assertThat(running.scope()).isEqualTo(ChildLineParser.TaskScope.PROCESS);
    assertThat(running.metadata()).containsEntry("process", "host:vm pid:20663").containsEntry("job_class", "RenderJob")
        .containsEntry("pid", 20663L);
    assertThat(rails.level()).as("logged as the message alone, by a Rails logger").isEqualTo(Level.ERROR);
    assertThat(rails.task()).isEqualTo("2");
    assertThat(rails.endsTask()).isTrue();
  }

  @Test
  void eachJobIsATaskAndTheFailedOneFailed() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "delayed-job-4.1.9.txt", "delayed-job-replayed");

    // Before, every message kept Logger's prefix and the worker's, and no job was a task.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message, StoredRecord::taskId).containsExactly(
        tuple("INFO", "Job RenderJob (id=1) RUNNING", "1"),
        tuple("INFO", "rendering shot 12", "1"),
        tuple("INFO", "Job RenderJob (id=1) COMPLETED after 0.0006", "1"),
        tuple("INFO", "Job RenderJob (id=2) RUNNING", "2"),
        tuple("INFO", "rendering shot 13", "2"),
        tuple("ERROR", "Job RenderJob (id=2) FAILED (0 prior attempts) with ArgumentError: bad frame 13", "2"),
        tuple("ERROR", "Job RenderJob (id=2) FAILED permanently because of 1 consecutive failures", "2"));
  }
}
