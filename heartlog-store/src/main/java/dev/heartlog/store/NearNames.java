package dev.heartlog.store;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The names a mistyped one was likely meant to be: those it begins ({@code work}: worker,
 * workers), and those a letter or two off, a swap of two neighbours counting as one ({@code lgos}:
 * logs, {@code --wroker}: --worker), which picocli's own suggestions, made of letter pairs, missed.
 * The command line names them for a mistyped command or option, and it and {@code heartlog serve}
 * for a worker id the store does not know.
 */
public final class NearNames {

  /** At most this many are named. */
  public static final int MOST = 3;

  private NearNames() {}

  /** The names of {@code known} nearest {@code typed}, nearest first; empty when none is near. */
  public static List<String> to(String typed, Collection<String> known) {
    String bare = withoutDashes(typed);
    if (bare.isEmpty()) {
      return List.of();
    }
    return known.stream()
        .filter(name -> isNear(bare, withoutDashes(name)))
        .sorted(Comparator.comparingInt((String name) -> distance(bare, withoutDashes(name))).thenComparing(name -> name))
        .limit(MOST)
        .toList();
  }

  /**
   * The ids of {@code known} nearest {@code typed} in any case, as {@link #to} finds them, but only
   * those of the fewest edits: a fleet's ids differ by a character or two ({@code gpu-1} to {@code
   * gpu-12}), and {@code demo-gpu1} means demo-gpu-1, not demo-gpu-2 as well.
   */
  public static List<String> nearestIds(String typed, Collection<String> known) {
    String lower = typed.toLowerCase(Locale.ROOT);
    List<String> near = known.stream()
        .filter(id -> !lower.isEmpty() && isNear(lower, id.toLowerCase(Locale.ROOT)))
        .toList();
    int fewest = near.stream().mapToInt(id -> distance(lower, id.toLowerCase(Locale.ROOT))).min().orElse(0);
    return near.stream()
        .filter(id -> distance(lower, id.toLowerCase(Locale.ROOT)) == fewest)
        .sorted()
        .limit(MOST)
        .toList();
  }

  private static boolean isNear(String typed, String name) {
    if (typed.length() >= 2 && name.startsWith(typed)) {
      return true;
    }
    return distance(typed, name) <= (Math.min(typed.length(), name.length()) >= 5 ? 2 : 1);
  }

  /** Edits from one to the other: a letter added, removed or changed, or two neighbours swapped. */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int change = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + change);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static String withoutDashes(String name) {
    int start = 0;
    while (start < name.length() && name.charAt(start) == '-') {
      start++;
    }
    return name.substring(start);
  }
}
