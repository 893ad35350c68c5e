package dev.heartlog.agent;

/**
 * Registers Micrometer meters for an agent when the worker has Micrometer on its classpath. It
 * names no Micrometer type itself: {@link MicrometerMeters}, which does, is loaded only once
 * Micrometer was found, so an agent without it never fails to load.
 */
final class Metering {

  private Metering() {}

  static void bindIfPresent(HeartlogAgent agent, Diagnostics diagnostics) {
    try {
      Class.forName("io.micrometer.core.instrument.Metrics", false, Metering.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError absent) {
      return;
    }
    try {
      MicrometerMeters.bindGlobally(agent);
    } catch (RuntimeException | LinkageError e) {
      diagnostics.info("could not register Micrometer meters: " + e);
    }
  }
}
