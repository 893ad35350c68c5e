package dev.heartlog.log4j2;

import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

/**
 * A test appender that holds the thread appending until {@link #open}: put before heartlog's on
 * an asynchronous logger, it keeps every event queued until the logging thread has moved on.
 */
@Plugin(name = "Gate", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE)
public final class GateAppender extends AbstractAppender {

  private static volatile CountDownLatch gate = new CountDownLatch(0);

  private GateAppender(String name) {
    super(name, null, null, true, Property.EMPTY_ARRAY);
  }

  @PluginFactory
  public static GateAppender create(@PluginAttribute("name") String name) {
    return new GateAppender(name);
  }

  static void close() {
    gate = new CountDownLatch(1);
  }

  static void open() {
    gate.countDown();
  }

  @Override
  public void append(LogEvent event) {
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
