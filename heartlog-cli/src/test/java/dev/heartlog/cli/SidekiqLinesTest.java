package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Sidekiq worker's lines, as {@link ChildLineParser} reads them and heartlog run stores them.
 * The lines are what Debian's Sidekiq 6.4.1 (Ruby 3.1) printed running three jobs, the third of
 * which raised, then stopping; Debian's redis gem's deprecation notices between them left out.
 */
class SidekiqLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.INFO, "stdout");
  }

  @Test
  void aJobsLineGivesItsTimeLevelThreadClassAndJobAndItsLastLineEndsTheJob() {
    ChildLineParser.Parsed rendering = parse(
        "2026-12-03T12:57:24.683Z pid=31924 tid=o0s class=RenderJob jid=afa12e19152d55a5eb2ae436 WARN: VRAM at 95%");
    assertThat(rendering.level()).isEqualTo(Level.WARNING);
    assertThat(rendering.message()).isEqualTo("VRAM at 95%");
    assertThat(rendering.task()).isEqualTo("afa12e19152d55a5eb2ae436");
    assertThat(rendering.scope()).isEqualTo(ChildLineParser.TaskScope.PROCESS);
    assertThat(rendering.time()).isEqualTo(Instant.parse("2026-12-03T12:57:24.683Z"));
    assertThat(rendering.metadata()).containsEntry("process", "o0s").containsEntry("pid", 31924L)
        .containsEntry("job_class", "RenderJob");
    assertThat(rendering.endsTask()).isFalse();
    ChildLineParser.Parsed done = parse(
        "2026-12-03T12:57:24.683Z pid=31924 tid=o0s class=RenderJob jid=afa12e19152d55a5eb2ae436 elapsed=0.41 INFO: done");
    assertThat(done.endsTask()).isTrue();
    assertThat(done.level()).isEqualTo(Level.INFO);
    assertThat(done.metadata()).containsEntry("elapsed_s", 0.41);
    assertThat(parse("2026-12-03T12:57:24.683Z pid=31924 tid=o0s class=RenderJob jid=cf8c elapsed=0.0 INFO: fail").level())
        .as("the job failed").isEqualTo(Level.ERROR);
    assertThat(parse("2026-12-03T12:57:24.683Z pid=31924 tid=o0s INFO: fail").level())
        .as("not a job's last line").isEqualTo(Level.INFO);
    assertThat(parse("2026-12-03T12:57:24.683Z pid=x tid=o0s INFO: y").message()).isEqualTo("2026-12-03T12:57:24.683Z pid=x tid=o0s INFO: y");
  }

  @Test
  void aSidekiqWorkersJobsAreItsTasksAndTheFailedOneShowsFailedWithItsBacktrace() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "sidekiq-6.4.1.txt", "sidekiq-replayed");

    // Before, every line was INFO, as any line on stdout, its time, process and job in front, and
    // each frame of the backtrace a record of its own.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message, StoredRecord::taskId).startsWith(
        tuple("INFO", "Booting Sidekiq 6.4.1 with redis options {:url=>\"redis://127.0.0.1:6399/0\"}", null),
        tuple("INFO", "Running in ruby 3.1.2p20 (2022-04-12 revision 4491bb740a) [x86_64-linux-gnu]", null),
        tuple("INFO", "See LICENSE and the LGPL-3.0 for licensing details.", null),
        tuple("INFO", "Upgrade to Sidekiq Pro for more features and support: https://sidekiq.org", null),
        tuple("INFO", "start", "82c35a7b41283fc58f4b7833"),
        tuple("INFO", "rendering shot 1", "82c35a7b41283fc58f4b7833"),
        tuple("INFO", "done", "82c35a7b41283fc58f4b7833"),
        tuple("INFO", "start", "afa12e19152d55a5eb2ae436"),
        tuple("INFO", "rendering shot 2", "afa12e19152d55a5eb2ae436"),
        tuple("WARNING", "VRAM at 95%", "afa12e19152d55a5eb2ae436"),
        tuple("INFO", "done", "afa12e19152d55a5eb2ae436"),
        tuple("INFO", "start", "cf8c52da6c73098366741edd"),
        tuple("INFO", "rendering shot 3", "cf8c52da6c73098366741edd"),
        tuple("ERROR", "fail", "cf8c52da6c73098366741edd"));
    assertThat(records.get(15).message()).isEqualTo("RuntimeError: CUDA out of memory");
    assertThat(records.get(16).message()).as("the backtrace, one record").startsWith("/srv/app/jobs.rb:10:in `perform'\n")
        .endsWith("/sidekiq/util.rb:65:in `block in safe_thread'").hasLineCount(23);
    assertThat(records.get(17).message()).isEqualTo("Shutting down");
  }
}
