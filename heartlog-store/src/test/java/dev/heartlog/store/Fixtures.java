package dev.heartlog.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The request bodies deployed Python workers send (copied from shared/fixtures): the worker's
 * heartbeat with four records, and its sidecar's final "crashed" heartbeat.
 */
public final class Fixtures {

  public static final String PYTHON_WORKER_HEARTBEAT = "python-worker-heartbeat.json";
  public static final String PYTHON_SIDECAR_HEARTBEAT = "python-sidecar-heartbeat.json";

  private Fixtures() {}

  /** The seed design's schema (tables, indexes, 5-argument function), as deployed databases have it. */
  public static String seedSchema() {
    return resource("/seed-schema.sql");
  }

  public static String read(String name) {
    return resource("/fixtures/" + name);
  }

  private static String resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
