package dev.heartlog.log4j2;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A worker that stops gracefully: on SIGTERM its shutdown hook logs, finishes its task (a pause
 * of the given milliseconds) and logs again. Says "ready" once the hook is registered.
 */
public final class GracefulWorkerMain {

  private GracefulWorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    Logger log = LogManager.getLogger("worker");
    long finishing = Long.parseLong(args[0]);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("asked to stop, finishing the task");
      try {
        Thread.sleep(finishing);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      log.info("task finished, exiting");
    }, "graceful-stop"));
    log.info("worker started");
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
