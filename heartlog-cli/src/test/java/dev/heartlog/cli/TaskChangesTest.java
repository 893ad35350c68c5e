package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaskChangesTest {

  @Test
  void aLineGetsTheTaskThatWasCurrentWhenItWasRead() {
    TaskChanges changes = new TaskChanges();
    changes.changed(100, null);       // task-a began, read at 100
    changes.changed(200, "task-a");   // task-a ended
    changes.changed(300, null);       // task-b began

    assertThat(changes.at(350, "task-b")).isEqualTo("task-b");
    assertThat(changes.at(300, "task-b")).as("read with the line that began it").isEqualTo("task-b");
    assertThat(changes.at(250, "task-b")).as("between the tasks").isNull();
    assertThat(changes.at(150, "task-b")).isEqualTo("task-a");
    assertThat(changes.at(50, "task-b")).as("before any change kept").isNull();
  }

  @Test
  void aLineReadBeforeTheLastChangeWasReadBeforeAChangeMadeSince() {
    TaskChanges changes = new TaskChanges();
    assertThat(changes.madeSince(0)).as("no change yet").isFalse();
    changes.changed(100, null);

    assertThat(changes.madeSince(99)).isTrue();
    assertThat(changes.madeSince(100)).as("the change's own read").isFalse();
    assertThat(changes.madeSince(101)).isFalse();
  }

  @Test
  void readTimesAreComparedAsNanoTimeIsAcrossItsWrap() {
    TaskChanges changes = new TaskChanges();
    changes.changed(Long.MAX_VALUE, "task-a");   // a change just before System.nanoTime() wraps
    changes.changed(Long.MIN_VALUE + 10, "task-b");

    assertThat(changes.madeSince(Long.MAX_VALUE - 5)).isTrue();
    assertThat(changes.at(Long.MIN_VALUE + 5, "task-c")).isEqualTo("task-b");
    assertThat(changes.at(Long.MAX_VALUE - 5, "task-c")).isEqualTo("task-a");
  }

  @Test
  void onlyTheLastChangesAreKept() {
    TaskChanges changes = new TaskChanges();
    for (int i = 1; i <= TaskChanges.KEPT + 10; i++) {
      changes.changed(i * 100L, "task-" + (i - 1));
    }
    int last = TaskChanges.KEPT + 10;

    assertThat(changes.at(last * 100L - 50, "task-" + last)).isEqualTo("task-" + (last - 1));
    int oldestKept = last - TaskChanges.KEPT + 1;
    assertThat(changes.at(oldestKept * 100L + 50, "task-" + last)).isEqualTo("task-" + oldestKept);
    assertThat(changes.at(50, "task-" + last)).as("older than any kept: the task before the oldest kept")
        .isEqualTo("task-" + (oldestKept - 1));
  }
}
