package dev.heartlog.agent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The worker's own secrets, named by the variables that hold them ({@code
 * HEARTLOG_MASK_VARIABLES=HF_TOKEN,AWS_SECRET_ACCESS_KEY}, or heartlog run's {@code
 * --mask-variable}): their values are masked in every record as heartlog's own credentials are,
 * and the worker still has them. A name may hold {@code *} for any characters ({@code *_TOKEN}).
 */
public final class MaskedVariables {

  /** A variable's name, {@code *} standing for any characters. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_*]+");

  private final List<String> names;

  private MaskedVariables(List<String> names) {
    this.names = names;
  }

  /**
   * The variables of {@code names}, each a name or a pattern, blanks skipped.
   *
   * @throws IllegalArgumentException naming an entry that is not a variable's name
   */
  public static MaskedVariables of(Collection<String> names) {
    List<String> kept = new ArrayList<>();
    for (String name : names) {
      String stripped = name.strip();
      if (stripped.isEmpty()) {
        continue;
      }
      if (!NAME.matcher(stripped).matches() || stripped.chars().allMatch(c -> c == '*')) {
        throw new IllegalArgumentException("'" + stripped + "' is not the name of a variable (letters, digits and _, "
            + "with * for any characters: HF_TOKEN, *_SECRET_KEY)");
      }
      kept.add(stripped);
    }
    return new MaskedVariables(List.copyOf(kept));
  }

  /** The variables of a comma-separated list ({@code HF_TOKEN, *_SECRET_KEY}). */
  public static MaskedVariables parse(String list) {
    return of(List.of(list.split(",")));
  }

  /** The variables these name and those {@code others} name. */
  public MaskedVariables and(MaskedVariables others) {
    List<String> both = new ArrayList<>(names);
    both.addAll(others.names);
    return new MaskedVariables(List.copyOf(both));
  }

  /** The variables of {@code environment} these name, by name, with the values to be masked. */
  public Map<String, String> in(Map<String, String> environment) {
    Map<String, String> found = new TreeMap<>();
    environment.forEach((variable, value) -> {
      if (names.stream().anyMatch(name -> matches(name, variable))) {
        found.put(variable, value);
      }
    });
    return found;
  }

  /**
   * The names, without a {@code *}, of variables that {@code environment} does not set: a name
   * misspelt masks nothing, and the worker's start says so.
   */
  public List<String> unset(Map<String, String> environment) {
    return names.stream().filter(name -> name.indexOf('*') < 0 && environment.get(name) == null).toList();
  }

  private static boolean matches(String name, String variable) {
    // A name holds no sign a regular expression reads but *.
    return name.indexOf('*') < 0 ? name.equals(variable) : variable.matches(name.replace("*", ".*"));
  }

  @Override
  public String toString() {
    return "MaskedVariables" + names;
  }
}
