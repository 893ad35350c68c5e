package dev.heartlog.server;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.MetadataFilter;
import dev.heartlog.store.TimeSpec;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The query parameters of one request to the JSON API ({@link QueryRoutes}), read as the API
 * documents them: each takes one value ({@link QueryParameter#one}), and one the endpoint does not
 * take, or whose value cannot be read, is refused with a 400 that names it.
 */
final class ApiParameters {

  /**
   * The largest a number parameter is read as: an answer holds at most 10,000 records (tasks,
   * heartbeats), whatever {@code limit} asks, and {@code stale_after_s} is at most 10,000 s.
   */
  static final int LARGEST_NUMBER = 10_000;

  private final Context ctx;
  private final Clock clock;

  private ApiParameters(Context ctx, Clock clock) {
    this.ctx = ctx;
    this.clock = clock;
  }

  /**
   * The request's parameters, each one the endpoint takes ({@link QueryParameter#onlyTaken}).
   *
   * @param endpoint how a refusal names the endpoint ({@code GET /api/logs})
   * @param clock what a relative time ({@code since=1h}) is counted back from
   * @throws PostgrestError 400, naming the first parameter the endpoint does not take
   */
  static ApiParameters taken(Context ctx, Clock clock, String endpoint, List<String> taken) {
    try {
      QueryParameter.onlyTaken(ctx.queryParamMap().keySet(), endpoint, taken);
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
    return new ApiParameters(ctx, clock);
  }

  /**
   * The one value of a parameter that takes one, trimmed; null when absent or blank.
   *
   * @throws PostgrestError 400 where different values are given
   */
  String one(String name) {
    try {
      return QueryParameter.one(name, ctx.queryParams(name));
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
  }

  /** Whether the parameter is given at all, blank or not: a filter that does not go with another is refused so. */
  boolean given(String name) {
    return !ctx.queryParams(name).isEmpty();
  }

  /**
   * The time the parameter gives, null where it is not given. A refusal names the parameter, as
   * the command line names its option: {@code Invalid value for until: '22.00' is neither ...};
   * before, a request giving since and until did not say which it was.
   *
   * @throws IllegalArgumentException naming the parameter, where its value is no time
   */
  Instant time(String name) {
    String value = one(name);
    if (value == null) {
      return null;
    }
    try {
      return TimeSpec.parse(value, clock);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid value for " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * A positive whole number, a larger one than {@link #LARGEST_NUMBER} read as that; {@code
   * fallback} when absent.
   */
  int positive(String name, int fallback) {
    String value = one(name);
    if (value == null) {
      return fallback;
    }
    long number;
    try {
      number = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw PostgrestError.badRequest("HL400", name + " must be a whole number (got '" + value + "')");
    }
    if (number < 1) {
      throw PostgrestError.badRequest("HL400", name + " must be positive (got '" + value + "')");
    }
    return (int) Math.min(LARGEST_NUMBER, number);
  }

  /** How many records to show at one end of a task: 0 or more, at most {@link #LARGEST_NUMBER}; null when absent. */
  Integer count(String name) {
    String value = one(name);
    if (value == null) {
      return null;
    }
    try {
      long number = Long.parseLong(value);
      if (number >= 0) {
        return (int) Math.min(LARGEST_NUMBER, number);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw PostgrestError.badRequest("HL400", name + " must be a whole number, 0 or more (got '" + value + "')");
  }

  /** {@code true} or {@code false}, false when absent. */
  boolean flag(String name) {
    String value = one(name);
    if (value == null || value.equalsIgnoreCase("false")) {
      return false;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    throw PostgrestError.badRequest("HL400", name + " must be true or false (got '" + value + "')");
  }

  /** A record's id; null when absent. */
  Long id(String name) {
    String value = one(name);
    try {
      return value == null ? null : Long.valueOf(value);
    } catch (NumberFormatException e) {
      throw PostgrestError.badRequest("HL400", name + " must be a record's id, a whole number (got '" + value + "')");
    }
  }

  /** The records' filters ({@code worker}, {@code task}, {@code level}, the range, ...), for {@code limit} records. */
  LogFilter logFilter(int limit) {
    try {
      return new LogFilter(
          one("worker"),
          one("task"),
          LogFilter.minimumLevel(one("level")),
          time("since"),
          time("until"),
          one("grep"),
          one("component"),
          MetadataFilter.parse(ctx.queryParams("meta")),
          limit);
    } catch (IllegalArgumentException e) {
      throw PostgrestError.badRequest("HL400", e.getMessage());
    }
  }
}
