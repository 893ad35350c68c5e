package dev.heartlog.cli;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The format string a worker gives Python's logging ({@code logging.basicConfig(format=...)},
 * {@code logging.Formatter(fmt)}), turned into the regular expression {@code heartlog run} reads
 * its lines by ({@code --python-format}, instead of writing a {@code --line-format}): {@code
 * %(levelname)s} is the record's level ({@link #LEVEL_NAMES}), {@code %(name)s} its component,
 * {@code %(message)s} its message. A format known this way settles what no reader can tell from a
 * line alone: in {@code %(asctime)s %(levelname)s %(name)s %(message)s}, whether the word after
 * the level is the logger's name or the message's first word.
 *
 * <p>The fields that say where the record was made, its process and its thread go into the
 * record's metadata ({@link #METADATA}). Every other field is matched and left out of the record,
 * and each field is matched so: {@code %(asctime)s} as up to 96 characters of any kind (the
 * {@code datefmt} may put spaces and names in it) with a digit among them ({@link #TIME}), a
 * number ({@code d}, {@code f}) as digits and a dot, any other text field as a run of characters
 * that are not spaces, which may be empty (a field a filter adds and left unset). A field's width
 * pads it ({@code %(levelname)-8s} after it, {@code %(levelname)8s} before it), which the
 * expression allows for. The {@code {}} style ({@code style="{"}: {@code {asctime}
 * {levelname:<8} {message}}) is read the same way; the {@code $} style is refused, saying so.
 */
final class PythonLogFormat {

  /**
   * A field of the {@code %} style: {@code %(name)} then the flags, width and precision, then the
   * conversion; or {@code %%}, a percent sign.
   */
  private static final Pattern PERCENT_FIELD = Pattern.compile(
      "%\\((?<name>[^)]*)\\)(?<flags>[#0 +-]*)(?<width>\\d*)(?<precision>\\.\\d+)?(?<conversion>[diouxXeEfFgGcrsa])|%%");

  /**
   * A field of the {@code {}} style: the name, a conversion ({@code !r}), then the format's spec:
   * a fill and an alignment, the sign, the width, the precision and the type; or {@code {{} or
   * {@code }}}, a brace.
   */
  private static final Pattern BRACE_FIELD = Pattern.compile(
      "\\{(?<name>\\w+)(?:![rsa])?(?::(?:(?<fill>.)?(?<align>[<>^=]))?[-+ ]?#?0?(?<width>\\d*)[,_]?(?<precision>\\.\\d+)?"
          + "(?<type>[bcdeEfFgGnosxX%])?)?\\}|\\{\\{|\\}\\}");

  /**
   * The names Python's logging gives its levels, and a level it has no name for ({@code Level
   * 15}): a line with another word where the format has its level is read as without the format
   * ({@code print()}'s {@code Loading model FROM s3 bucket}, a JSON line), and so is one of a
   * level the worker named itself ({@code logging.addLevelName}).
   */
  private static final String LEVEL_NAMES = "(?:CRITICAL|ERROR|WARNING|INFO|DEBUG|NOTSET|Level \\d{1,3})";

  /**
   * The fields kept in the record's metadata, under the names heartlog's own readers give them:
   * where the record was made ({@code file}, {@code line}, {@code function}, {@code module}), its
   * process ({@code pid}) and its thread's name ({@code thread}). A field the format has twice is
   * kept once.
   */
  private static final Map<String, String> METADATA = Map.of(
      "filename", "file", "lineno", "line", "funcName", "function", "module", "module", "process", "pid",
      "threadName", "thread");

  /**
   * {@code %(asctime)s}, whatever its {@code datefmt}: the shortest run of characters that has a
   * digit in it, up to 32 before its first digit and 63 after it. Every time has a digit; the
   * words a {@code print()} puts before a level's name have none as a rule ({@code Retrying after
   * ERROR from the queue}, which a run of any characters took for a time, a level and a logger).
   */
  private static final String TIME = "\\D{0,32}?\\d.{0,63}?";

  private PythonLogFormat() {}

  /**
   * The regular expression that reads the lines {@code format} prints, with the named groups
   * {@code level}, {@code component} and {@code message} that {@link ChildLineParser} takes.
   *
   * @throws IllegalArgumentException where the format has no message's field, a field twice
   *     that the record takes once, a {@code %} or a brace that starts no field, a line break or
   *     a level's name cut short, or is of the {@code $} style
   */
  static String lineFormat(String format) {
    if (format.contains("\n")) {
      throw new IllegalArgumentException("it has a line break, and heartlog reads a line at a time; give the line with"
          + " the level as a --line-format");
    }
    if (format.contains("%(")) {
      return Style.PERCENT.expression(format);
    }
    if (format.contains("{")) {
      return Style.BRACE.expression(format);
    }
    throw new IllegalArgumentException(format.contains("$message") || format.contains("${message}")
        ? "it is of the $ style; give a format of the % or {} style"
        : "it has no %(message)s");
  }

  /** A style of format: how its fields are written, and how its widths pad them. */
  private enum Style {
    PERCENT(PERCENT_FIELD, '%', "write %% for a percent sign", "%(message)s") {
      @Override
      void field(Matcher field, Expression regex) {
        refuseCutLevel(field);
        boolean padded = !field.group("width").isEmpty();
        boolean left = field.group("flags").contains("-");
        regex.field(field.group("name"), "diouxXeEfFgG".contains(field.group("conversion")),
            padded && !left ? " *" : "", padded && left ? " *" : "");
      }
    },

    BRACE(BRACE_FIELD, '{', "write {{ for a brace", "{message}") {
      @Override
      void field(Matcher field, Expression regex) {
        refuseCutLevel(field);
        String type = field.group("type");
        boolean numeric = type != null && "bdeEfFgGnoxX%".contains(type);
        String pad = field.group("width") == null || field.group("width").isEmpty() ? ""
            : Pattern.quote(field.group("fill") == null ? " " : field.group("fill")) + "*";
        String align = field.group("align") == null ? (numeric ? ">" : "<") : field.group("align");
        regex.field(field.group("name"), numeric,
            align.equals("<") ? "" : pad,          // right-aligned or centred: padded before
            align.equals(">") || align.equals("=") ? "" : pad);
      }
    };

    private final Pattern fields;
    private final char fieldStart;
    private final String escapeAdvice;
    private final String messageField;

    Style(Pattern fields, char fieldStart, String escapeAdvice, String messageField) {
      this.fields = fields;
      this.fieldStart = fieldStart;
      this.escapeAdvice = escapeAdvice;
      this.messageField = messageField;
    }

    /** Adds the field {@code field} found, one with a name, to the expression. */
    abstract void field(Matcher field, Expression regex);

    /** Refuses a level's name cut short ({@code %(levelname).1s}): no level could be read from it. */
    static void refuseCutLevel(Matcher field) {
      if (field.group("name").equals("levelname") && field.group("precision") != null) {
        throw new IllegalArgumentException("it cuts the level's name short (" + field.group()
            + "), and heartlog reads a level by its whole name; give a --line-format");
      }
    }

    String expression(String format) {
      Expression regex = new Expression();
      Matcher field = fields.matcher(format);
      int literalStart = 0;
      while (field.find()) {
        regex.literal(format, literalStart, field.start(), fieldStart, escapeAdvice);
        literalStart = field.end();
        if (field.group("name") == null) {
          regex.text(field.group().substring(1));   // %%, {{ or }}: the character itself
        } else {
          field(field, regex);
        }
      }
      regex.literal(format, literalStart, format.length(), fieldStart, escapeAdvice);
      return regex.end(messageField);
    }
  }

  /** The expression as it is built, field by field, with the record's fields it has. */
  private static final class Expression {
    private final StringBuilder regex = new StringBuilder("^");
    private boolean level;
    private boolean component;
    private boolean message;
    private final Set<String> metadata = new HashSet<>();

    /** The format's text between fields, matched as it is. */
    void literal(String format, int start, int end, char fieldStart, String advice) {
      String text = format.substring(start, end);
      int stray = text.indexOf(fieldStart);
      if (stray >= 0) {
        throw new IllegalArgumentException("its '" + fieldStart + "' at '" + format.substring(start + stray)
            + "' starts no field; " + advice);
      }
      text(text);
    }

    void text(String text) {
      if (!text.isEmpty()) {
        regex.append(Pattern.quote(text));
      }
    }

    /** One field: a named group for the record's, with the padding its width puts before and after it. */
    void field(String name, boolean numeric, String padBefore, String padAfter) {
      String group = switch (name) {
        case "levelname" -> "level";
        case "name" -> "component";
        case "message" -> "message";
        default -> null;
      };
      String text;
      if (group == null) {
        text = name.equals("asctime") ? TIME : numeric ? "[\\d.]+" : "\\S*?";   // short of a fill after it
        String kept = METADATA.get(name);
        if (kept != null && metadata.add(kept)) {
          text = "(?<" + kept + ">" + text + ")";
        }
      } else {
        boolean twice = group.equals("level") ? level : group.equals("component") ? component : message;
        if (twice) {
          throw new IllegalArgumentException("it has the field " + name + " twice; heartlog reads one");
        }
        level |= group.equals("level");
        component |= group.equals("component");
        message |= group.equals("message");
        text = "(?<" + group + ">" + (group.equals("level") ? LEVEL_NAMES : group.equals("message") ? ".*" : "\\S+?") + ")";
      }
      regex.append(padBefore).append(text).append(group != null && group.equals("message") ? "" : padAfter);
    }

    String end(String messageField) {
      if (!message) {
        throw new IllegalArgumentException("it has no " + messageField);
      }
      return regex.append('$').toString();
    }
  }
}
