package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskHistoryTest {

  private final SteppedClock clock = new SteppedClock();
  private final TaskHistory tasks = new TaskHistory(clock);

  @Test
  void aTimeIsFiledUnderTheTaskThatRanThenAndATaskBeginsAtItsStart() {
    Instant beforeAny = clock.instant();
    clock.advance(Duration.ofSeconds(1));
    tasks.set("render-1");
    Instant render1Began = clock.instant();
    clock.advance(Duration.ofSeconds(5));
    tasks.set(null);
    Instant idle = clock.instant().plusMillis(1);
    clock.advance(Duration.ofSeconds(2));
    tasks.set("render-2");
    clock.advance(Duration.ofSeconds(1));

    assertThat(tasks.current()).isEqualTo("render-2");
    assertThat(tasks.at(clock.instant())).isEqualTo("render-2");
    assertThat(tasks.at(null)).as("no time: the current task").isEqualTo("render-2");
    assertThat(tasks.at(idle)).isNull();
    assertThat(tasks.at(render1Began)).isEqualTo("render-1");
    assertThat(tasks.at(render1Began.plusSeconds(3))).isEqualTo("render-1");
    assertThat(tasks.at(render1Began.minusNanos(1))).isNull();
    assertThat(tasks.at(beforeAny)).isNull();
  }

  @Test
  void tasksThatEndedOverAMinuteAgoAreForgottenAndTheirTimesFiledUnderNone() {
    tasks.set("long-ago");
    Instant longAgo = clock.instant();
    clock.advance(Duration.ofSeconds(10));
    tasks.set("recent");
    Instant recent = clock.instant();
    clock.advance(TaskHistory.KEPT_FOR.plusSeconds(1));
    tasks.set("now");   // "long-ago" ended more than a minute before this; "recent" ended just now

    assertThat(tasks.at(longAgo)).isNull();
    assertThat(tasks.at(recent)).isEqualTo("recent");
  }

  @Test
  void atMostMaxKeptTasksAreKept() {
    Instant first = clock.instant();
    for (int i = 0; i <= TaskHistory.MAX_KEPT + 1; i++) {
      tasks.set("task-" + i);
      clock.advance(Duration.ofNanos(1_000));
    }
    Instant lastButOne = clock.instant().minusNanos(1_500);

    assertThat(tasks.at(first)).isNull();
    assertThat(tasks.at(lastButOne)).isEqualTo("task-" + TaskHistory.MAX_KEPT);
  }
}
