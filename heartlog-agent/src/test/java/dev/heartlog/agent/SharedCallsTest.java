package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedCallsTest {

  private final List<String> woken = new ArrayList<>();
  private final AtomicInteger cuts = new AtomicInteger();

  @Test
  void aCutFromAnotherThreadRunsOnlyWhileTheRoundsCallWaitsOnTheStore() {
    SharedCalls shared = new SharedCalls(new CallSlots(1), () -> {});
    cutFromAnotherThread(shared);
    assertThat(cuts).as("no round is calling").hasValue(0);

    shared.startRound();
    try {
      cutFromAnotherThread(shared);
      assertThat(cuts).as("the round holds the loop").hasValue(0);

      DeliveryResult answer = shared.deliver(heartbeat -> {
        assertThat(shared.isCalling()).isTrue();
        cutFromAnotherThread(shared);
        return DeliveryResult.stored(0);
      }, null);

      assertThat(answer.outcome()).isEqualTo(DeliveryResult.Outcome.STORED);
      assertThat(cuts).as("cut while the call waited").hasValue(1);
      assertThat(shared.isCalling()).isFalse();
      cutFromAnotherThread(shared);
      assertThat(cuts).as("the call was answered: the round holds the loop again").hasValue(1);
    } finally {
      shared.endRound();
    }
  }

  @Test
  void aLoopWaitsInLineUntilACallIsKeptForItAndPassesItOnWhenItCloses() {
    CallSlots slots = new CallSlots(1);
    SharedCalls a = loop(slots, "a");
    SharedCalls b = loop(slots, "b");
    SharedCalls c = loop(slots, "c");
    assertThat(a.take()).isTrue();
    assertThat(a.waiting()).isFalse();
    assertThat(b.take()).isFalse();
    assertThat(b.waiting()).isTrue();
    assertThat(c.take()).isFalse();

    a.release();
    assertThat(woken).containsExactly("b");
    b.startRound();
    assertThat(b.waiting()).as("a new round has not asked for its call yet").isFalse();
    b.endRound();

    b.leave();
    assertThat(woken).as("b closed without calling: its call went to c").containsExactly("b", "c");
    assertThat(c.take()).isTrue();
    assertThat(b.waiting()).isFalse();
  }

  private SharedCalls loop(CallSlots slots, String name) {
    return new SharedCalls(slots, () -> woken.add(name));
  }

  private void cutFromAnotherThread(SharedCalls shared) {
    CompletableFuture.runAsync(() -> shared.cutMeanwhile(cuts::incrementAndGet)).join();
  }
}
