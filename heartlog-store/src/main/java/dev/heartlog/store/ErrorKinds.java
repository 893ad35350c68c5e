package dev.heartlog.store;

import java.time.Instant;
import java.util.List;

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
}
