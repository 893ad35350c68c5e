package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadNamesTest {

  @Test
  void aThreadWithANameKeepsIt() {
    assertThat(ThreadNames.of(new Thread("render-1"))).isEqualTo("render-1");
    assertThat(ThreadNames.of("render-1", 42)).isEqualTo("render-1");
  }

  @Test
  void aNamelessPlatformThreadIsNamedByItsId() {
    Thread nameless = new Thread(() -> {}, "");

    assertThat(ThreadNames.of(nameless)).isEqualTo("unnamed-" + id(nameless));
  }

  @Test
  void aNameRecordedEmptyIsNamedByTheThreadsId() throws Exception {
    AtomicReference<String> onItsOwnThread = new AtomicReference<>();
    Thread nameless = new Thread(() -> onItsOwnThread.set(ThreadNames.of("", id(Thread.currentThread()))), "");
    nameless.start();
    nameless.join();

    assertThat(onItsOwnThread.get()).isEqualTo(ThreadNames.of(nameless)).isEqualTo("unnamed-" + id(nameless));
    // Behind an asynchronous logger the thread is elsewhere: named by the id it recorded.
    assertThat(ThreadNames.of("", 4242)).isEqualTo("unnamed-4242");
    assertThat(ThreadNames.of(null, 4242)).isEqualTo("unnamed-4242");
  }

  @SuppressWarnings("deprecation")   // Thread.threadId() is Java 19's
  private static long id(Thread thread) {
    return thread.getId();
  }
}
