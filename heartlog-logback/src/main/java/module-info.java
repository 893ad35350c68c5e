/**
 * The Logback appender. Logback creates it by its class name from {@code logback.xml}, so on the
 * module path the worker names this module ({@code requires dev.heartlog.logback} or
 * {@code --add-modules dev.heartlog.logback}): nothing else pulls it into the module graph.
 */
module dev.heartlog.logback {
  requires transitive dev.heartlog.agent;
  requires transitive ch.qos.logback.classic;
  requires transitive ch.qos.logback.core;
  requires org.slf4j;

  exports dev.heartlog.logback;
}
