package dev.heartlog.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A regular expression the user gave {@code heartlog run} ({@code --line-format}, {@code
 * --task-end}), matched within a time budget. Java's matcher backtracks, and a pattern whose parts
 * can match the same text in many ways ({@code ^(.*,){12}P}) takes time exponential in a line it
 * does not match: 6.6 s on a line of 32 fields, hours on a longer one. The stream's reader would
 * hold that line meanwhile, and the worker, its pipe full, would wait on its next print as long,
 * without a word. Past the budget, {@link TooSlow} is
 * thrown, and the line is stored as printed ({@link WorkerStream}).
 *
 * <p>The text is read through a {@link CharSequence} that looks at the clock every 4,096
 * characters the matcher reads. heartlog's own defaults are matched as they are, at no cost:
 * their time is linear in the line.
 */
final class UserPattern {

  /** The longest one match may take: far beyond any pattern that reads a line once or twice. */
  static final Duration BUDGET = Duration.ofMillis(100);

  /** A match ran past {@link #BUDGET}. */
  static final class TooSlow extends RuntimeException {
    TooSlow(String option) {
      super(option + " took more than " + BUDGET.toMillis() + " ms on a line");
    }
  }

  private final Pattern pattern;
  private final String option;
  private final boolean bounded;

  /**
   * @param option the option that gave it, for what {@link TooSlow} says
   * @param bounded false for heartlog's own default, matched without the budget
   */
  UserPattern(String regex, String option, boolean bounded) {
    this.pattern = Pattern.compile(regex);
    this.option = option;
    this.bounded = bounded;
  }

  /** A matcher over {@code text}, which throws {@link TooSlow} once it has run past the budget. */
  Matcher matcher(String text) {
    return bounded ? pattern.matcher(new Budgeted(text, System.nanoTime() + BUDGET.toNanos(), option)) : pattern.matcher(text);
  }

  /** The text, read through a clock. */
  private static final class Budgeted implements CharSequence {
    private final String text;
    private final long deadlineNanos;
    private final String option;
    private int reads;

    Budgeted(String text, long deadlineNanos, String option) {
      this.text = text;
      this.deadlineNanos = deadlineNanos;
      this.option = option;
    }

    @Override
    public char charAt(int index) {
      if ((++reads & 4095) == 0 && System.nanoTime() - deadlineNanos > 0) {
        throw new TooSlow(option);
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.substring(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
