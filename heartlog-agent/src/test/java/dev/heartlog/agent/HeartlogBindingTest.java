package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HeartlogBindingTest {

  @Test
  void boundThreadsAndTheirChildrenReachTheirOwnWorkersAgent() throws Exception {
    RecordingTransport first = new RecordingTransport();
    RecordingTransport second = new RecordingTransport();
    try (HeartlogAgent one = AgentTestSupport.agent(first).workerId("gpu-0").build();
        HeartlogAgent two = AgentTestSupport.agent(second).workerId("gpu-1").build()) {
      Thread a = new Thread(() -> {
        try (Heartlog.Binding binding = Heartlog.bind(one)) {
          Heartlog.log(Level.INFO, "from gpu-0", null, Map.of());
          Thread child = new Thread(() -> Heartlog.log(Level.INFO, "child of gpu-0", null, Map.of()));
          child.start();
          join(child);
        }
      });
      Thread b = new Thread(() -> {
        try (Heartlog.Binding binding = Heartlog.bind(two)) {
          Heartlog.log(Level.INFO, "from gpu-1", null, Map.of());
        }
      });
      a.start();
      b.start();
      a.join();
      b.join();
      one.flush(Duration.ofSeconds(10));
      two.flush(Duration.ofSeconds(10));
    }

    assertThat(first.storedMessages()).containsExactly("from gpu-0", "child of gpu-0");
    assertThat(second.storedMessages()).containsExactly("from gpu-1");
  }

  @Test
  void aWrappedTaskGoesToTheWorkerThatHandedItToASharedPool() throws Exception {
    RecordingTransport first = new RecordingTransport();
    RecordingTransport second = new RecordingTransport();
    ExecutorService shared = Executors.newFixedThreadPool(1);   // its thread starts at the first task
    try (HeartlogAgent one = AgentTestSupport.agent(first).workerId("gpu-0").build();
        HeartlogAgent two = AgentTestSupport.agent(second).workerId("gpu-1").build()) {
      Thread a = new Thread(() -> {
        try (Heartlog.Binding binding = Heartlog.bind(one)) {
          shared.submit(Heartlog.wrap(() -> Heartlog.log(Level.INFO, "pool task of gpu-0", null, Map.of()))).get();
        } catch (InterruptedException | ExecutionException e) {
          throw new IllegalStateException(e);
        }
      });
      a.start();
      a.join();
      Thread b = new Thread(() -> {
        try (Heartlog.Binding binding = Heartlog.bind(two)) {
          shared.submit(Heartlog.wrap(() -> Heartlog.log(Level.INFO, "pool task of gpu-1", null, Map.of()))).get();
          String answer = shared.submit(Heartlog.wrap(() -> {
            Heartlog.log(Level.INFO, "pool call of gpu-1", null, Map.of());
            return "done";
          })).get();
          assertThat(answer).isEqualTo("done");
          shared.submit(() -> Heartlog.log(Level.INFO, "unwrapped task of gpu-1", null, Map.of())).get();
        } catch (InterruptedException | ExecutionException e) {
          throw new IllegalStateException(e);
        }
      });
      b.start();
      b.join();
      one.flush(Duration.ofSeconds(10));
      two.flush(Duration.ofSeconds(10));
    } finally {
      shared.shutdown();
    }

    assertThat(second.storedMessages()).containsExactly("pool task of gpu-1", "pool call of gpu-1");
    assertThat(first.storedMessages()).as("the pool's thread was started from gpu-0's, and kept its binding")
        .containsExactly("pool task of gpu-0", "unwrapped task of gpu-1");
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
