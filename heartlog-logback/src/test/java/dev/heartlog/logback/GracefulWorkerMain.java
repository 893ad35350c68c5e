package dev.heartlog.logback;

import dev.heartlog.store.GracefulWorker;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link GracefulWorker} logging through SLF4J and Logback. Argument: how long it finishes its task, in milliseconds. */
public final class GracefulWorkerMain {

  private GracefulWorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    Logger log = LoggerFactory.getLogger("worker");
    GracefulWorker.run(Duration.ofMillis(Long.parseLong(args[0])), log::info);
  }
}
