package dev.heartlog.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The errors of a time range grouped into {@link ErrorKind}s, the most frequent first, as {@code
 * heartlog errors} and {@code GET /api/errors} list them.
 *
 * @param since the range's start
 * @param until the range's end, or {@code null} for now
 * @param kinds the most frequent kinds, as many as were asked for
 * @param kindCount how many kinds the range holds, those not listed too
 * @param errorCount how many errors the range holds, those of kinds not listed too
 */
public record ErrorKinds(Instant since, Instant until, List<ErrorKind> kinds, long kindCount, long errorCount) {

  /** Kinds when no limit is given. */
  public static final int DEFAULT_LIMIT = 20;

  public ErrorKinds {
    kinds = List.copyOf(kinds);
  }

  /**
   * How long the range is: from its start to its end, or to {@code now} where it has none.
   */
  public Duration length(Instant now) {
    return Duration.between(since, until == null ? now : until);
  }

  /**
   * How many errors of each listed kind were made in the range before the list's, as long and
   * ending where it starts: {@code [since, until)}. A kind new in the list's range made none then;
   * one that grew, fewer.
   *
   * @param since the range before's start
   * @param until the range before's end: the list's range's start
   * @param errors each listed kind's id to its errors then; a kind not made then is not in it
   */
  public record Before(Instant since, Instant until, Map<String, Long> errors) {

    public Before {
      errors = Map.copyOf(errors);
    }

    /** The errors of kind {@code id} made in the range before: 0 for a kind new since. */
    public long of(String id) {
      return errors.getOrDefault(id, 0L);
    }
  }
}
