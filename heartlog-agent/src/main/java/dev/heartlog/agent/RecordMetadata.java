package dev.heartlog.agent;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A record's metadata as an appender builds it: a few entries (logger, thread, MDC) in insertion
 * order, kept in one array. The appenders make one per log call, so its size is a good part of
 * what a call allocates: two entries take 56 bytes here against about 190 in a {@code
 * LinkedHashMap}, and the heartbeat thread reads them without an iterator.
 *
 * <p>Not thread-safe: fill it on the logging thread, then hand it to the agent and leave it.
 * Keys are never {@code null}.
 */
public final class RecordMetadata extends AbstractMap<String, Object> {

  /** Loggers whose shared metadata a thread keeps ({@link #ofLoggerAndThread}); past this, it starts over. */
  private static final int MAX_SHARED_PER_THREAD = 256;
  private static final ThreadLocal<Map<String, RecordMetadata>> LOGGER_AND_THREAD = ThreadLocal.withInitial(HashMap::new);

  private Object[] entries; // key 0, value 0, key 1, value 1, ...
  private int size;

  /**
   * The metadata of a record that has nothing but its logger and thread: the same for every such
   * record a logger makes on a thread, so it is made once and shared by their records, which never
   * change it (nor may the caller). Kept per thread by logger name, and made anew when the thread
   * was renamed. Call it on the logging thread, with that thread's name.
   */
  public static RecordMetadata ofLoggerAndThread(String logger, String thread) {
    Map<String, RecordMetadata> byLogger = LOGGER_AND_THREAD.get();
    RecordMetadata shared = byLogger.get(logger);
    if (shared == null || !Objects.equals(shared.get("thread"), thread)) {
      if (byLogger.size() >= MAX_SHARED_PER_THREAD) {
        byLogger.clear();
      }
      shared = new RecordMetadata(2);
      shared.put("logger", logger);
      shared.put("thread", thread);
      byLogger.put(logger, shared);
    }
    return shared;
  }

  /**
   * A value as a record keeps it when it is given now but written later, on the heartbeat
   * thread: one that cannot change (a string, a number of the JDK's, a boolean, a UUID) as it is,
   * so a number stays a number in the store; anything else as its text now.
   */
  public static Object captured(Object value) {
    boolean unchangeable = value == null
        || value instanceof String
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof Double
        || value instanceof Float
        || value instanceof BigInteger
        || value instanceof BigDecimal
        || value instanceof Boolean
        || value instanceof UUID;
    return unchangeable ? value : String.valueOf(value);
  }

  /** An empty map with room for {@code expectedEntries} before it grows. */
  public RecordMetadata(int expectedEntries) {
    this.entries = new Object[2 * Math.max(1, expectedEntries)];
  }

  /** Adds an entry at the end, or replaces the value of the entry with this key. */
  @Override
  public Object put(String key, Object value) {
    Objects.requireNonNull(key, "metadata keys must not be null");
    int index = indexOf(key);
    if (index >= 0) {
      Object previous = entries[2 * index + 1];
      entries[2 * index + 1] = value;
      return previous;
    }
    if (2 * size == entries.length) {
      entries = Arrays.copyOf(entries, entries.length * 2);
    }
    entries[2 * size] = key;
    entries[2 * size + 1] = value;
    size++;
    return null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Object get(Object key) {
    int index = indexOf(key);
    return index < 0 ? null : entries[2 * index + 1];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  String keyAt(int index) {
    return (String) entries[2 * index];
  }

  Object valueAt(int index) {
    return entries[2 * index + 1];
  }

  private int indexOf(Object key) {
    for (int i = 0; i < size; i++) {
      if (entries[2 * i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Entry<String, Object> next() {
            if (next >= size) {
              throw new NoSuchElementException();
            }
            int index = next++;
            return new SimpleImmutableEntry<>(keyAt(index), valueAt(index));
          }
        };
      }

      @Override
      public int size() {
        return size;
      }
    };
  }
}
