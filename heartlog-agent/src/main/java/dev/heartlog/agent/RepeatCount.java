package dev.heartlog.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A flood of one record counted in one record: {@code repeated 4188 more times: connection
 * refused, retrying}, whose metadata is the repeated record's with the count in {@value #KEY} and
 * without its exception (the first records carry it). The agent makes such records ({@code
 * Repeats}), and so does {@code heartlog run} of a worker's lines; every count of errors reads one
 * as the records it stands for ({@link #occurrences}): the agent's, the store's in Java, and the
 * store's SQL, whose {@code heartlog_repeat_count()} holds the same rule.
 */
public final class RepeatCount {

  /** The metadata key that holds the count. */
  public static final String KEY = "repeated";

  /** The most digits a count may have: more than a {@code bigint} holds are no count. */
  private static final int MAX_DIGITS = 18;
  private static final String PREFIX = "repeated ";

  private RepeatCount() {}

  /** The message of a count of {@code count} repeats of {@code message}. */
  public static String message(long count, String message) {
    return PREFIX + count + (count == 1 ? " more time: " : " more times: ") + message;
  }

  /** The metadata of a count of repeats of a record with {@code metadata}. */
  public static Map<String, Object> metadata(Map<String, Object> metadata, long count) {
    Map<String, Object> counted = new LinkedHashMap<>(metadata != null ? metadata : Map.of());
    counted.remove("exception");   // the first record has it: a failure once, not its stack trace again
    counted.put(KEY, count);
    return counted;
  }

  /**
   * How many records a record stands for: the count, where its message is a count's and its
   * metadata's {@value #KEY} says the same number (at most {@value #MAX_DIGITS} digits); 1 for any
   * other record.
   *
   * @param message the record's message
   * @param said its metadata's {@value #KEY} as text ({@code metadata->>'repeated'}); null where
   *     it has none, or none that is a string or a number
   */
  public static long occurrences(String message, String said) {
    if (said == null || !message.startsWith(PREFIX) || !isCount(said)) {
      return 1;
    }
    int after = PREFIX.length() + said.length();
    return message.startsWith(said, PREFIX.length())
        && (message.startsWith(" more time: ", after) || message.startsWith(" more times: ", after))
        ? Long.parseLong(said) : 1;
  }

  private static boolean isCount(String text) {
    return !text.isEmpty() && text.length() <= MAX_DIGITS && text.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
