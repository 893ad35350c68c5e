package dev.heartlog.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The warnings and errors of a batch that came without the agent's count of them (a Python
 * worker's, a sidecar's), counted while the server reads the batch anyway, and sent on in
 * {@code metadata_param} as a heartlog agent sends them: {@code "problem_counts": [[period,
 * errors, warnings], ...]}. Counting them here saves the store its own count of the batch's
 * records, 6-10% of its work per heartbeat, for about a fifth of that here (BENCHMARKS.md §3).
 *
 * <p>The store takes counts as sent, so they must be the ones it would count: the level as
 * {@code heartlog_level()} maps it, the period of the timestamp as PostgreSQL reads it. Where
 * the server cannot be sure of that (a problem record without a timestamp, which it stamps with its own clock;
 * a level name whose case PostgreSQL might map otherwise; records it had to clean), it gives up
 * and sends nothing, and the store counts the records itself as before.
 */
final class ProblemTally {

  private static final long PERIOD_SECONDS = 300;
  private static final JsonFactory JSON = new JsonFactory();

  /** The names {@code heartlog_level()} knows, upper case, each followed by what it is stored as. */
  private static final String[] LEVEL_NAMES = {
    "INFO", "INFO", "DEBUG", "DEBUG", "WARNING", "WARNING", "ERROR", "ERROR", "CRITICAL", "CRITICAL",
    "TRACE", "DEBUG", "WARN", "WARNING", "FATAL", "CRITICAL"};

  /** What a record's period is when the server cannot be sure of it. */
  private static final long UNSURE = Long.MIN_VALUE;

  private final Map<Long, long[]> byPeriod = new TreeMap<>();
  private boolean sure = true;
  private int records;
  private String level;    // as stored; null: unsure
  private long period;     // of the record's timestamp; UNSURE without a certain one

  /** A record (a JSON object in the batch's array) begins. */
  void startRecord() {
    level = "INFO";
    period = UNSURE;
  }

  /** The record's {@code level}, the text of a JSON string; {@code text} null for any other value (INFO). */
  void level(char[] text, int offset, int length) {
    level = text == null ? "INFO" : storedLevel(text, offset, length);
  }

  /** The record's {@code timestamp}, the text of a JSON string; {@code text} null for any other value. */
  void timestamp(char[] text, int offset, int length) {
    period = text == null ? UNSURE : period(text, offset, length);
  }

  /** The record ends: its problem, if it is one, is counted. */
  void endRecord() {
    records++;
    if (!sure) {
      return;
    }
    if (level == null) {
      giveUp();
      return;
    }
    boolean error = level.equals("ERROR") || level.equals("CRITICAL");
    if (!error && !level.equals("WARNING")) {
      return;
    }
    if (period == UNSURE) {
      giveUp();
      return;
    }
    byPeriod.computeIfAbsent(period, p -> new long[2])[error ? 0 : 1]++;
  }

  /** Something in the batch is not a record the tally can read: the store counts instead. */
  void giveUp() {
    sure = false;
  }

  /**
   * The metadata to send with the batch: the sender's, with the counts added when the tally is
   * sure of them, the batch has records and the sender sent no counts of its own.
   */
  String metadataWith(String metadataJson) throws IOException {
    if (!sure || records == 0) {
      return metadataJson;
    }
    StringJoiner rows = new StringJoiner(",", "\"problem_counts\":[", "]");
    byPeriod.forEach((period, errorsAndWarnings) ->
        rows.add("[" + period + "," + errorsAndWarnings[0] + "," + errorsAndWarnings[1] + "]"));
    String counts = rows.toString();
    if (metadataJson == null) {
      return "{" + counts + "}";
    }
    int fields = topLevelFields(metadataJson);
    if (fields < 0) {
      return metadataJson;   // not an object, or it has counts of its own
    }
    int open = metadataJson.indexOf('{');
    return "{" + counts + (fields == 0 ? "}" : "," + metadataJson.substring(open + 1));
  }

  /**
   * The level the store keeps for a record's level name, as {@code heartlog_level()} maps it (an
   * unknown name is kept as INFO); null where PostgreSQL's case mapping could differ from
   * Java's.
   */
  static String storedLevel(String name) {
    return name == null ? "INFO" : storedLevel(name.toCharArray(), 0, name.length());
  }

  private static String storedLevel(char[] text, int offset, int length) {
    int start = offset;
    int end = offset + length;
    while (start < end && text[start] == ' ') {   // btrim() takes spaces only
      start++;
    }
    while (end > start && text[end - 1] == ' ') {
      end--;
    }
    boolean dottedI = false;
    for (int i = start; i < end; i++) {
      if (text[i] > 127) {
        return null;   // upper() beyond ASCII depends on the database's locale
      }
      dottedI |= text[i] == 'i';
    }
    String stored = "INFO";
    for (int i = 0; i < LEVEL_NAMES.length; i += 2) {
      if (equalsIgnoringAsciiCase(text, start, end, LEVEL_NAMES[i])) {
        stored = LEVEL_NAMES[i + 1];
        break;
      }
    }
    // In a Turkish database upper('i') is a dotted capital: "warning" is no level name there,
    // and is stored as INFO.
    return dottedI && (stored.equals("WARNING") || stored.equals("CRITICAL")) ? null : stored;
  }

  private static boolean equalsIgnoringAsciiCase(char[] text, int start, int end, String upper) {
    if (end - start != upper.length()) {
      return false;
    }
    for (int i = 0; i < upper.length(); i++) {
      char c = text[start + i];
      if ((c >= 'a' && c <= 'z' ? (char) (c - 32) : c) != upper.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The period of a timestamp (see {@link #period(char[], int, int)}); null when not certain. */
  static Long period(String timestamp) {
    long period = period(timestamp.toCharArray(), 0, timestamp.length());
    return period == UNSURE ? null : period;
  }

  /**
   * The 5-minute period of a timestamp written as Python's {@code isoformat()} and heartlog's
   * agents write them: {@code 2026-11-28T17:58:01.123456+00:00} (or {@code Z}, or no offset: UTC,
   * as the ingest function reads it), at most six fractional digits, so that PostgreSQL keeps the
   * instant as it is; {@link #UNSURE} for any
   * other text (PostgreSQL may still read it, and the store counts the batch). Read in place:
   * {@code OffsetDateTime.parse} cost the server 0.7 µs and 2.5 KB per record.
   */
  private static long period(char[] text, int offset, int length) {
    // yyyy-MM-ddTHH:mm:ss, then [.f{1,6}], then Z or ±HH:mm
    if (length < 20 || text[offset + 4] != '-' || text[offset + 7] != '-' || text[offset + 10] != 'T'
        || text[offset + 13] != ':' || text[offset + 16] != ':') {
      return UNSURE;
    }
    int year = digits(text, offset, 4);
    int month = digits(text, offset + 5, 2);
    int day = digits(text, offset + 8, 2);
    int hour = digits(text, offset + 11, 2);
    int minute = digits(text, offset + 14, 2);
    int second = digits(text, offset + 17, 2);
    int at = offset + 19;
    int end = offset + length;
    if (at < end && text[at] == '.') {
      int fraction = ++at;
      while (at < end && text[at] >= '0' && text[at] <= '9') {
        at++;
      }
      if (at == fraction || at - fraction > 6) {
        return UNSURE;
      }
    }
    int offsetSeconds;
    if (at == end || at == end - 1 && text[at] == 'Z') {   // datetime.utcnow().isoformat() has no offset
      offsetSeconds = 0;
    } else if (at == end - 6 && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
      int hours = digits(text, at + 1, 2);
      int minutes = digits(text, at + 4, 2);
      if (hours < 0 || hours > 15 || minutes < 0 || minutes > 59) {
        return UNSURE;
      }
      offsetSeconds = (text[at] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    } else {
      return UNSURE;
    }
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return UNSURE;
    }
    long epochSecond = java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400L
        + hour * 3_600L + minute * 60L + second - offsetSeconds;
    return Math.floorDiv(epochSecond, PERIOD_SECONDS);
  }

  /** The number written in {@code count} digits at {@code from}; -1 if they are not all digits. */
  private static int digits(char[] text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text[i];
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /**
   * Whether counts could be added to this metadata of a sender's: it is missing, or an object
   * without counts of its own. When a heartlog agent's metadata comes before its batch, as it
   * sends it, the server need not count the batch.
   */
  static boolean metadataTakesCounts(String metadataJson) throws IOException {
    return metadataJson == null || topLevelFields(metadataJson) >= 0;
  }

  /** How many fields the JSON object has; -1 when it is not an object or has problem counts. */
  private static int topLevelFields(String json) throws IOException {
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return -1;
      }
      int fields = 0;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        if (parser.currentName().equals("problem_counts")) {
          return -1;
        }
        fields++;
        parser.nextToken();
        parser.skipChildren();
      }
      return fields;
    }
  }
}
