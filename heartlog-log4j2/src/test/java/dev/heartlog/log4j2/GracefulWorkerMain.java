package dev.heartlog.log4j2;

import dev.heartlog.store.GracefulWorker;
import java.time.Duration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** {@link GracefulWorker} logging through Log4j 2. Argument: how long it finishes its task, in milliseconds. */
public final class GracefulWorkerMain {

  private GracefulWorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    Logger log = LogManager.getLogger("worker");
    GracefulWorker.run(Duration.ofMillis(Long.parseLong(args[0])), log::info);
  }
}
