package dev.heartlog.agent;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The credentials the agent sends with ({@link Transport#credentials()}), kept out of the records
 * it ships: a worker that logs its own configuration, or the database URL it shares with heartlog,
 * would otherwise store heartlog's password where everyone who reads the logs sees it. A record
 * holds {@link #MASK} in a credential's place, as heartlog's own messages show a password.
 *
 * <p>A credential is masked in the forms a worker prints it: as it is, and encoded in a URL, a
 * JSON string or base64 ({@link EncodedSecret}). A batch's JSON is searched for each credential
 * once ({@link #appearIn}), on the heartbeat thread; only a batch that may hold one is written
 * again from copies of its records with the credentials masked ({@link #mask(List)}). The thread
 * that logs pays nothing.
 *
 * <p>Public for {@code heartlog run}, which masks what the worker it wraps prints the same way.
 */
public final class Credentials {

  /** What a record holds in a credential's place. */
  public static final String MASK = "***";
  /**
   * The shortest value masked: a password of three letters or fewer would turn every word that
   * holds them into {@code ***}, and such a password is no secret to hide.
   */
  public static final int SHORTEST_MASKED = 4;

  public static final Credentials NONE = new Credentials(List.of());

  /** Longest first: a credential that holds another is masked whole. */
  private final String[] values;
  /** Each value in the forms a worker prints it: as it is, in a URL, in JSON, in base64. */
  private final EncodedSecret[] forms;

  private Credentials(Collection<String> values) {
    this.values = values.stream()
        .filter(Objects::nonNull)
        .filter(value -> value.strip().length() >= SHORTEST_MASKED)
        .distinct()
        .sorted(Comparator.comparingInt(String::length).reversed())
        .toArray(String[]::new);
    JsonStringEncoder encoder = JsonStringEncoder.getInstance();
    this.forms = new EncodedSecret[this.values.length];
    for (int i = 0; i < this.values.length; i++) {
      forms[i] = EncodedSecret.of(this.values[i], new String(encoder.quoteAsString(this.values[i])));
    }
  }

  /** The credentials among {@code values} long enough to mask (nulls skipped). */
  public static Credentials of(Collection<String> values) {
    return values.isEmpty() ? NONE : new Credentials(values);
  }

  /** These credentials and {@code more}. */
  Credentials and(Collection<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<String> all = new ArrayList<>(List.of(values));
    all.addAll(more);
    return of(all);
  }

  /** Whether there is no credential to mask. */
  public boolean isEmpty() {
    return values.length == 0;
  }

  /**
   * Whether a batch's JSON text may hold a credential in one of its forms: if not, no record of
   * it does. A yes may be wrong, and costs the search {@link #mask(List)} makes.
   */
  boolean appearIn(String json) {
    for (EncodedSecret secret : forms) {
      if (secret.mayAppearIn(json)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code text} with each credential in it replaced by {@link #MASK}: as it is, percent-encoded
   * as in a URL, escaped as in a JSON string, and the part of its base64 that is its own.
   */
  public String mask(String text) {
    if (text == null) {
      return null;
    }
    for (EncodedSecret secret : forms) {
      text = secret.mask(text, MASK);
    }
    return text;
  }

  /**
   * Copies of the records with each credential masked in their messages, task ids and metadata
   * (its texts, and the text of any other object in it). Their time, number, level and size
   * estimate stay.
   */
  List<LogRecord> mask(List<LogRecord> records) {
    List<LogRecord> masked = new ArrayList<>(records.size());
    for (LogRecord record : records) {
      masked.add(new LogRecord(record.timestamp(), record.sequence(), record.level(), mask(record.message()),
          mask(record.taskId()), MetadataJson.masked(record.metadata(), this::mask), record.estimatedBytes()));
    }
    return masked;
  }

  /** How many credentials are masked: the count, never the values. */
  @Override
  public String toString() {
    return "Credentials[" + values.length + "]";
  }
}
