package dev.heartlog.server;

import dev.heartlog.store.NearNames;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a query parameter that takes one value ({@code worker}, {@code since}, {@code limit}...),
 * as the command line reads an option given once. A blank value does not count: a form that
 * sends {@code worker=&worker=gpu-7} asks for gpu-7, where taking the first value listed every
 * worker's records. Two different values are refused, where taking the first answered for one of
 * them as if the other had not been asked for. The same value twice is read once.
 */
final class QueryParameter {

  /** How many of the values, and how much of each, a refusal quotes. */
  private static final int QUOTED_VALUES = 3;
  private static final int QUOTED_CHARS = 60;

  private QueryParameter() {}

  /**
   * @param values every value given for {@code name}, in order; empty when it is missing
   * @return the one value, trimmed; null when none is given or all are blank
   * @throws IllegalArgumentException where different values are given
   */
  static String one(String name, List<String> values) {
    List<String> given = values.stream().filter(value -> !value.isBlank()).map(String::trim).distinct().toList();
    if (given.size() > 1) {
      throw new IllegalArgumentException(name + " takes one value, and was given " + given.size() + ": "
          + given.stream().limit(QUOTED_VALUES).map(QueryParameter::quoted).collect(Collectors.joining(", "))
          + (given.size() > QUOTED_VALUES ? ", ..." : ""));
    }
    return given.isEmpty() ? null : given.get(0);
  }

  /**
   * Refuses a parameter the endpoint does not take: {@code /api/logs?levle=ERROR} answered with
   * every level's records, as if the filter had been read. {@code apikey}, a key given in the
   * address ({@link KeyCheck}), goes with every endpoint.
   *
   * @param given the names of the parameters given
   * @param endpoint how the refusal names the endpoint ({@code GET /api/logs})
   * @param taken the names the endpoint takes
   * @throws IllegalArgumentException naming the first unknown one, the nearest taken names and
   *     all of them
   */
  static void onlyTaken(Collection<String> given, String endpoint, List<String> taken) {
    for (String name : given) {
      if (!taken.contains(name) && !name.equals(KeyCheck.KEY_PARAMETER)) {
        if (taken.isEmpty()) {
          throw new IllegalArgumentException(endpoint + " takes no parameters (got " + quoted(name) + ")");
        }
        List<String> near = NearNames.to(name, taken);
        throw new IllegalArgumentException(endpoint + " takes no parameter " + quoted(name)
            + (near.isEmpty() ? "" : " (did you mean " + String.join(" or ", near) + "?)")
            + "; it takes " + String.join(", ", taken));
      }
    }
  }

  private static String quoted(String value) {
    return "'" + (value.length() > QUOTED_CHARS ? value.substring(0, QUOTED_CHARS) + "..." : value) + "'";
  }
}
