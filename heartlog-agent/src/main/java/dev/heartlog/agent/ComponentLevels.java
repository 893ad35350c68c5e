package dev.heartlog.agent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The least severe level kept for each component of a worker: the seed's "log levels per
 * component", fine-grained control over what gets buffered and shipped. A component is what a
 * record names as its {@code component} (the {@link WorkerLog} facade's argument, the component of
 * a line {@code heartlog run} parsed, an MDC entry), else its {@code logger} (Logback, JUL).
 *
 * <p>Written as a list such as {@code "WARNING, GENERATOR=DEBUG, com.example.noisy=OFF"}:
 *
 * <ul>
 *   <li>{@code name=LEVEL} keeps that component's records of {@code LEVEL} and above. A name also
 *       covers the names below it, as Logback's logger names do: {@code com.example} covers {@code
 *       com.example.Render}; the longest name that covers a component decides. Names match in
 *       any case.
 *   <li>A level alone is the default for every other component and for records naming none.
 *       Without one, the default is INFO, or DEBUG in debug mode.
 *   <li>Levels are the store's five (DEBUG, INFO, WARNING, ERROR, CRITICAL), any name {@link
 *       Level#fromName} knows (WARN, TRACE, SEVERE, ...), or {@code OFF} for nothing at all.
 * </ul>
 *
 * <p>Immutable, but for remembering which rule covers each component it has seen (up to 4,096
 * names of up to 256 characters; past that, the rules are tried again on each check): a check
 * costs a hash lookup, and nothing when there are no rules.
 */
public final class ComponentLevels {

  /** No rules: the agent's default for every component. */
  public static final ComponentLevels NONE = new ComponentLevels(List.of(), null);

  /** A minimum above CRITICAL: {@code OFF}. */
  private static final int OFF = Level.CRITICAL.ordinal() + 1;

  private record Rule(String name, int minimum) {}

  /** Components whose rule was looked up once: loggers and components are few, and checked on every call. */
  private static final int MAX_REMEMBERED = 4_096;
  /** Longer names (a wrapped worker's line may name anything) are not kept: at most 1 MiB in all. */
  private static final int MAX_REMEMBERED_LENGTH = 256;
  /** What {@link #ruleFor} answers for a component no rule covers. */
  private static final int NO_RULE = -1;

  private final List<Rule> rules;       // longest name first
  private final Integer defaultMinimum;   // null: the agent's default
  private final String text;
  private final ConcurrentHashMap<String, Integer> remembered = new ConcurrentHashMap<>();

  private ComponentLevels(List<Rule> rulesAsGiven, Integer defaultMinimum) {
    StringBuilder text = new StringBuilder();
    if (defaultMinimum != null) {
      text.append(levelName(defaultMinimum));
    }
    for (Rule rule : rulesAsGiven) {
      text.append(text.length() == 0 ? "" : ",").append(rule.name()).append('=').append(levelName(rule.minimum()));
    }
    this.text = text.toString();
    List<Rule> longestFirst = new ArrayList<>(rulesAsGiven);
    longestFirst.sort(Comparator.comparingInt((Rule rule) -> rule.name().length()).reversed());
    this.rules = List.copyOf(longestFirst);
    this.defaultMinimum = defaultMinimum;
  }

  /**
   * Reads a list such as {@code "WARNING,GENERATOR=DEBUG"}; blank means no rules.
   *
   * @throws IllegalArgumentException saying which entry is wrong and why
   */
  public static ComponentLevels parse(String list) {
    if (list == null || list.isBlank()) {
      return NONE;
    }
    List<Rule> rules = new ArrayList<>();
    Integer defaultMinimum = null;
    for (String entry : list.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      if (equals < 0) {
        if (defaultMinimum != null) {
          throw new IllegalArgumentException("levels: two default levels ('" + levelName(defaultMinimum) + "' and '"
              + trimmed + "'); give one, and name=LEVEL for a component");
        }
        defaultMinimum = minimum(trimmed, trimmed);
        continue;
      }
      String name = trimmed.substring(0, equals).trim();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("levels: '" + trimmed + "' names no component (write name=LEVEL)");
      }
      for (Rule rule : rules) {
        if (rule.name().equalsIgnoreCase(name)) {
          throw new IllegalArgumentException("levels: component '" + name + "' is given twice");
        }
      }
      rules.add(new Rule(name, minimum(trimmed.substring(equals + 1).trim(), trimmed)));
    }
    return rules.isEmpty() && defaultMinimum == null ? NONE : new ComponentLevels(rules, defaultMinimum);
  }

  /**
   * Whether a record of {@code level} from {@code component} ({@code null}: none) is kept, in an
   * agent whose own default keeps DEBUG only in debug mode.
   */
  public boolean keeps(Level level, String component, boolean debugMode) {
    int minimum = component == null || rules.isEmpty() ? NO_RULE : ruleFor(component);
    if (minimum != NO_RULE) {
      return level.ordinal() >= minimum;
    }
    if (defaultMinimum != null) {
      return level.ordinal() >= defaultMinimum;
    }
    return level != Level.DEBUG || debugMode;
  }

  /**
   * Whether a record of {@code level} with this metadata is kept: its component is what the
   * metadata names {@code component}, else {@code logger}. The metadata is searched only where
   * there are rules to apply.
   */
  boolean keepsRecord(Level level, Map<String, Object> metadata, boolean debugMode) {
    return keeps(level, rules.isEmpty() ? null : component(metadata), debugMode);
  }

  private static String component(Map<String, Object> metadata) {
    if (metadata == null) {
      return null;
    }
    Object component = metadata.get("component");
    if (component == null) {
      component = metadata.get("logger");
    }
    return component == null ? null : component.toString();
  }

  /** The minimum of the rule that covers {@code component}, or {@link #NO_RULE}. */
  private int ruleFor(String component) {
    Integer known = remembered.get(component);
    if (known != null) {
      return known;
    }
    int minimum = NO_RULE;
    for (Rule rule : rules) {
      if (covers(rule.name(), component)) {
        minimum = rule.minimum();
        break;
      }
    }
    if (remembered.size() < MAX_REMEMBERED && component.length() <= MAX_REMEMBERED_LENGTH) {
      remembered.put(component, minimum);
    }
    return minimum;
  }

  /** Whether there are no rules, and so every component takes the agent's default. */
  public boolean isEmpty() {
    return rules.isEmpty() && defaultMinimum == null;
  }

  /** {@code name} is {@code component}, or a name above it: {@code com.example} above {@code com.example.Render}. */
  private static boolean covers(String name, String component) {
    int length = name.length();
    return component.regionMatches(true, 0, name, 0, length)
        && (component.length() == length || component.charAt(length) == '.');
  }

  private static int minimum(String levelName, String entry) {
    String upper = levelName.toUpperCase(Locale.ROOT);
    if (upper.equals("OFF")) {
      return OFF;
    }
    return Level.named(upper).orElseThrow(() -> new IllegalArgumentException("levels: '" + entry + "': '"
        + levelName + "' is not a level; use DEBUG, INFO, WARNING, ERROR, CRITICAL or OFF")).ordinal();
  }

  private static String levelName(int minimum) {
    return minimum == OFF ? "OFF" : Level.values()[minimum].name();
  }

  /** The list as {@link #parse} reads it: the default level first, then the rules as given. */
  @Override
  public String toString() {
    return text;
  }
}
