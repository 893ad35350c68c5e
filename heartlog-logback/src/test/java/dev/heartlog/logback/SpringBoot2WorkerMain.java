package dev.heartlog.logback;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

/**
 * A worker on Spring Boot 2's logging, Logback 1.2 and SLF4J 1.7 (see {@link Logback12Test}): it
 * calls only what SLF4J 1.7 has, says "ready" and ends, its records sent at the JVM's exit.
 */
public final class SpringBoot2WorkerMain {

  private SpringBoot2WorkerMain() {}

  public static void main(String[] args) {
    Logger log = LoggerFactory.getLogger("render");
    MDC.put("task_id", "boot2-task");
    MDC.put("model", "wan2.1");
    log.info("frame {} of {}", 1, 24);
    log.warn(MarkerFactory.getMarker("GPU"), "VRAM above 90%");
    log.error("render failed", new IllegalStateException("CUDA out of memory"));
    MDC.clear();
    log.info("idle");
    System.out.println("ready");
    System.out.flush();
  }
}
