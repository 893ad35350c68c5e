package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Followers' turns at being sent what they missed: one at a time, in order, and never held by one that stalls. */
class SendingTurnsTest {

  private final List<String> turns = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    threads.forEach(Thread::interrupt);
  }

  @Test
  void followersHaveTheirTurnsOneAtATimeInTheOrderTheyAsked() throws Exception {
    SendingTurns sendingTurns = new SendingTurns(60_000, 60_000);
    CountDownLatch firstDone = new CountDownLatch(1);
    follower("first", sendingTurns, firstDone);
    await().atMost(Duration.ofSeconds(10)).until(() -> turns.contains("first"));
    for (String name : List.of("second", "third", "fourth")) {
      follower(name, sendingTurns, new CountDownLatch(0));
      awaitWaiting(name);
    }
    assertThat(turns).containsExactly("first");

    firstDone.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> turns.size() == 4);
    assertThat(turns).containsExactly("first", "second", "third", "fourth");
  }

  @Test
  void aFollowerThatStopsSendingLosesItsTurnToTheNext() throws Exception {
    SendingTurns sendingTurns = new SendingTurns(200, 60_000);
    CountDownLatch stalled = new CountDownLatch(1);
    Thread stalling = follower("stalling", sendingTurns, stalled);
    await().atMost(Duration.ofSeconds(10)).until(() -> turns.contains("stalling"));
    follower("next", sendingTurns, new CountDownLatch(0));

    await().atMost(Duration.ofSeconds(10)).until(() -> turns.contains("next"));
    assertThat(stalling.isAlive()).as("the stalled one still stalls").isTrue();
  }

  @Test
  void oneThatStalledAndGoesOnWaitsForAnotherTurn() throws Exception {
    SendingTurns sendingTurns = new SendingTurns(100, 60_000);
    sendingTurns.await();
    CountDownLatch othersDone = new CountDownLatch(1);
    follower("other", sendingTurns, othersDone);
    await().atMost(Duration.ofSeconds(10)).until(() -> turns.contains("other"));

    assertThat(sendingTurns.sent()).as("this thread lost its turn while it sent nothing").isFalse();
    othersDone.countDown();
    sendingTurns.await();   // the other's ends
    assertThat(sendingTurns.sent()).isTrue();
    sendingTurns.end();
  }

  @Test
  void aFollowerThatKeepsSendingPastItsSliceWhileOthersWaitGoesToTheBackOfTheLine() throws Exception {
    SendingTurns sendingTurns = new SendingTurns(60_000, 50);
    sendingTurns.await();
    assertThat(sendingTurns.sent()).as("no one waits: the turn goes on past its slice").isTrue();
    follower("next", sendingTurns, new CountDownLatch(0));
    awaitWaiting("next");

    // It goes on sending: once its slice is over, it has lost its turn to the one waiting.
    await().pollInSameThread().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10))
        .until(() -> !sendingTurns.sent());
    await().atMost(Duration.ofSeconds(10)).until(() -> turns.contains("next"));
    sendingTurns.await();   // once next's turn has ended
    assertThat(sendingTurns.sent()).isTrue();
    sendingTurns.end();
  }

  @Test
  void aFollowerThatGoesWhileItWaitsLeavesTheLine() throws Exception {
    SendingTurns sendingTurns = new SendingTurns(60_000, 60_000);
    CountDownLatch firstDone = new CountDownLatch(1);
    follower("first", sendingTurns, firstDone);
    await().atMost(Duration.ofSeconds(10)).until(() -> turns.contains("first"));
    Thread gone = follower("gone", sendingTurns, new CountDownLatch(0));
    awaitWaiting("gone");
    follower("last", sendingTurns, new CountDownLatch(0));
    awaitWaiting("last");

    gone.interrupt();
    gone.join(TimeUnit.SECONDS.toMillis(10));
    firstDone.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> turns.contains("last"));
    assertThat(turns).containsExactly("first", "last");
  }

  /** A follower's sending thread: waits for its turn, says so, sends one record once {@code done}, ends it. */
  private Thread follower(String name, SendingTurns sendingTurns, CountDownLatch done) {
    Thread thread = new Thread(() -> {
      try {
        sendingTurns.await();
        turns.add(name);
        done.await();
        sendingTurns.sent();
        sendingTurns.end();
      } catch (InterruptedException gone) {
        // the follower went
      }
    }, name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
    return thread;
  }

  private void awaitWaiting(String name) {
    Thread thread = threads.stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.WAITING
        || thread.getState() == Thread.State.TIMED_WAITING);
  }
}
