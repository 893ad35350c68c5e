package dev.heartlog.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The format string a worker gives Python's logging ({@code logging.basicConfig(format=...)},
 * {@code logging.Formatter(fmt)}), turned into the regular expression {@code heartlog run} reads
 * its lines by ({@code --python-format}, instead of writing a {@code --line-format}): {@code
 * %(levelname)s} is the record's level ({@link #LEVEL_NAMES}), {@code %(name)s} its component,
 * {@code %(message)s} its message. A format known this way settles what no reader can tell from a line alone: in {@code
 * %(asctime)s %(levelname)s %(name)s %(message)s}, whether the word after the level is the
 * logger's name or the message's first word.
 *
 * <p>Every other field is matched and left out of the record: {@code %(asctime)s} as up to 64
 * characters of any kind (the {@code datefmt} may put spaces in it), a number ({@code d}, {@code
 * f}) as digits and a dot, any other text field as a run of characters that are not spaces,
 * which may be empty (a field a filter adds and left unset). A
 * field's width pads it with spaces ({@code %(levelname)-8s} after it, {@code %(levelname)8s}
 * before it), which the expression allows for. Only the {@code %} style: a format of the {@code
 * {}} or {@code $} style is refused, saying so.
 */
final class PythonLogFormat {

  /**
   * A field of the {@code %} style: {@code %(name)} then the flags, width and precision, then the
   * conversion; or {@code %%}, a percent sign.
   */
  private static final Pattern FIELD = Pattern.compile(
      "%\\((?<name>[^)]*)\\)(?<flags>[#0 +-]*)(?<width>\\d*)(?:\\.\\d+)?(?<conversion>[diouxXeEfFgGcrsa])|%%");

  /**
   * The names Python's logging gives its levels, and a level it has no name for ({@code Level
   * 15}): a line with another word where the format has its level is read as without the format
   * ({@code print()}'s {@code Loading model FROM s3 bucket}, a JSON line), and so is one of a
   * level the worker named itself ({@code logging.addLevelName}).
   */
  private static final String LEVEL_NAMES = "(?:CRITICAL|ERROR|WARNING|INFO|DEBUG|NOTSET|Level \\d{1,3})";

  private PythonLogFormat() {}

  /**
   * The regular expression that reads the lines {@code format} prints, with the named groups
   * {@code level}, {@code component} and {@code message} that {@link ChildLineParser} takes.
   *
   * @throws IllegalArgumentException where the format has no {@code %(message)s}, a field
   *     twice that the record takes once, or a {@code %} that starts no field
   */
  static String lineFormat(String format) {
    StringBuilder regex = new StringBuilder("^");
    Matcher field = FIELD.matcher(format);
    int literalStart = 0;
    boolean level = false;
    boolean component = false;
    boolean message = false;
    while (field.find()) {
      regex.append(literal(format, literalStart, field.start()));
      literalStart = field.end();
      if (field.group().equals("%%")) {
        regex.append('%');
        continue;
      }
      String name = field.group("name");
      String group = switch (name) {
        case "levelname" -> "level";
        case "name" -> "component";
        case "message" -> "message";
        default -> null;
      };
      if (group != null) {
        boolean twice = group.equals("level") ? level : group.equals("component") ? component : message;
        if (twice) {
          throw new IllegalArgumentException("it has %(" + name + ") twice; heartlog reads one");
        }
        level |= group.equals("level");
        component |= group.equals("component");
        message |= group.equals("message");
      }
      regex.append(fieldPattern(name, group, field.group("conversion"), field.group("flags"), field.group("width")));
    }
    regex.append(literal(format, literalStart, format.length())).append('$');
    if (!message) {
      throw new IllegalArgumentException(format.contains("{message}") || format.contains("$message")
          ? "it is of the {} or $ style; give a format of the % style, as logging.basicConfig takes by default"
          : "it has no %(message)s");
    }
    return regex.toString();
  }

  /** What reads one field: a named group for the record's, padded as its width pads. */
  private static String fieldPattern(String name, String group, String conversion, String flags, String width) {
    String text;
    if (name.equals("levelname")) {
      text = LEVEL_NAMES;
    } else if (group != null && group.equals("message")) {
      text = ".*";
    } else if (name.equals("asctime")) {
      text = ".{1,64}?";
    } else if ("diouxXeEfFgG".contains(conversion)) {
      text = "[\\d.]+";
    } else {
      text = group != null ? "\\S+" : "\\S*";   // another field may be empty: a filter's own, not set
    }
    if (group != null) {
      text = "(?<" + group + ">" + text + ")";
    }
    if (width.isEmpty() || group != null && group.equals("message")) {
      return text;
    }
    return flags.contains("-") ? text + " *" : " *" + text;   // padded on the right, or on the left
  }

  /** The format's text between fields, matched as it is. */
  private static String literal(String format, int start, int end) {
    String text = format.substring(start, end);
    if (text.contains("%")) {
      throw new IllegalArgumentException("its '%' at '" + format.substring(start + text.indexOf('%'))
          + "' starts no field; write %% for a percent sign");
    }
    return text.isEmpty() ? "" : Pattern.quote(text);
  }
}
