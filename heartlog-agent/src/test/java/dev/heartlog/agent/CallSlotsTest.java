package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallSlotsTest {

  private final List<String> woken = new ArrayList<>();

  private CallSlots.Ticket ticket(String name) {
    return new CallSlots.Ticket(() -> woken.add(name));
  }

  @Test
  void aSchedulerKeepsOneThreadFreeOfCallsButAlwaysAllowsOne() {
    CallSlots twoThreads = CallSlots.forThreads(2);
    assertThat(twoThreads.tryTake(ticket("a"))).isTrue();
    assertThat(twoThreads.tryTake(ticket("b"))).isFalse();

    CallSlots oneThread = CallSlots.forThreads(1);
    assertThat(oneThread.tryTake(ticket("a"))).isTrue();
    assertThat(oneThread.tryTake(ticket("b"))).isFalse();

    CallSlots sixteenThreads = CallSlots.forThreads(16);
    int taken = 0;
    while (sixteenThreads.tryTake(ticket("t" + taken))) {
      taken++;
    }
    assertThat(taken).isEqualTo(15);
  }

  @Test
  void aFreedSlotIsKeptForTheFirstInLineAndItsRoundIsWoken() {
    CallSlots slots = new CallSlots(1);
    CallSlots.Ticket a = ticket("a");
    CallSlots.Ticket b = ticket("b");
    CallSlots.Ticket c = ticket("c");
    assertThat(slots.tryTake(a)).isTrue();
    assertThat(slots.tryTake(b)).isFalse();
    assertThat(slots.tryTake(c)).isFalse();
    assertThat(slots.tryTake(b)).as("a second try keeps b's place, once").isFalse();
    assertThat(slots.waiting()).isEqualTo(2);

    slots.release();
    assertThat(woken).containsExactly("b");
    assertThat(slots.tryTake(a)).as("the slot is b's, not the next caller's").isFalse();
    assertThat(slots.tryTake(b)).isTrue();

    slots.release();
    assertThat(woken).containsExactly("b", "c");
    assertThat(slots.tryTake(c)).isTrue();
    assertThat(slots.waiting()).as("a joined the line behind c").isEqualTo(1);
  }

  @Test
  void aClosingAgentLeavesTheLineAndPassesOnASlotKeptForIt() {
    CallSlots slots = new CallSlots(1);
    CallSlots.Ticket a = ticket("a");
    CallSlots.Ticket b = ticket("b");
    CallSlots.Ticket c = ticket("c");
    slots.tryTake(a);
    slots.tryTake(b);
    slots.tryTake(c);

    slots.release(); // kept for b
    slots.leave(b);  // b closes without calling: c gets it
    assertThat(woken).containsExactly("b", "c");
    assertThat(slots.tryTake(c)).isTrue();

    CallSlots.Ticket d = ticket("d");
    slots.tryTake(d);
    slots.leave(d);
    assertThat(slots.waiting()).isZero();
    slots.release();
    assertThat(slots.tryTake(ticket("e"))).as("with nobody in line the slot is free").isTrue();
  }

  @Test
  void atLeastOneCallMustBeAllowed() {
    assertThatThrownBy(() -> new CallSlots(0)).hasMessageContaining("at least one call");
  }
}
