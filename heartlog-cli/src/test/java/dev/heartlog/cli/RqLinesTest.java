package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RQ worker lines, as RQ 1.13 printed them (RqWorkerTest runs a real worker). */
class RqLinesTest {

  private static final String ID = "f6e5251f-969b-4962-8223-474044b8aae1";

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line, Level streamDefault) {
    return parser.parse(line, streamDefault, "stdout");
  }

  @Test
  void aJobsFirstLineMakesItTheCurrentTaskAndItsOkLineEndsIt() {
    ChildLineParser.Parsed started = parse("07:11:55 default: jobs.render(1, size='720p') (" + ID + ")", Level.INFO);
    ChildLineParser.Parsed done = parse("07:11:55 default: Job OK (" + ID + ")", Level.INFO);

    assertThat(started.task()).isEqualTo(ID);
    assertThat(started.endsTask()).isFalse();
    assertThat(started.scope()).isEqualTo(ChildLineParser.TaskScope.CURRENT);
    assertThat(started.message()).isEqualTo("default: jobs.render(1, size='720p') (" + ID + ")");
    assertThat(started.metadata()).containsEntry("queue", "default").containsEntry("job", "jobs.render(1, size='720p')");
    assertThat(started.time()).isNull();
    assertThat(done.task()).isEqualTo(ID);
    assertThat(done.endsTask()).isTrue();
    assertThat(done.metadata()).doesNotContainKey("job");
  }

  @Test
  void aFailedJobsLineIsAnErrorOfItsJobThatEndsIt() {
    ChildLineParser.Parsed failed = parse("07:11:56 [Job " + ID + "]: exception raised while executing (jobs.render)", Level.WARNING);

    assertThat(failed.level()).isEqualTo(Level.ERROR);
    assertThat(failed.task()).isEqualTo(ID);
    assertThat(failed.endsTask()).isTrue();
    assertThat(failed.metadata()).containsEntry("function", "jobs.render");
  }

  @Test
  void theWorkersOtherLinesAreLeftAsTheyAre() {
    assertThat(List.of("07:11:55 *** Listening on default...", "07:11:55 Result is kept for 500 seconds",
        "07:11:55 Worker rq:worker:871e21b1: started, version 1.13.0", "07:11:55 Cleaning registries for queue: default"))
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(line, Level.INFO);
          assertThat(parsed.message()).isEqualTo(line);
          assertThat(parsed.task()).isNull();
          assertThat(parsed.endsTask()).isFalse();
        });
  }
}
