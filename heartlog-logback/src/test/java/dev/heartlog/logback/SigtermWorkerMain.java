package dev.heartlog.logback;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs records through SLF4J, says "ready", then waits to be terminated. Argument: record count. */
public final class SigtermWorkerMain {

  private SigtermWorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    Logger log = LoggerFactory.getLogger("worker");
    int records = Integer.parseInt(args[0]);
    for (int i = 1; i <= records; i++) {
      log.info("record {}", i);
    }
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
