package dev.heartlog.cli;

import dev.heartlog.agent.RecordMetadata;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the formats {@link LoggerFormats} reads put the logger's name, and how each sets it apart
 * from a message's own first or last words: after the level before a dash or in brackets, between
 * pipes, a class's name in a package and a colon (Hadoop's), or in parentheses after the message
 * (Kafka's). Each reader puts the name it finds in the record's {@code logger} and gives the
 * message without it, or null (or the message as it is) where the text has none.
 */
final class LoggerNames {

  /**
   * A logger's name as Python's logging and the JVM's loggers print it: {@code __main__}, {@code
   * app.render}, {@code c.e.render.Worker}, {@code torch.distributed}.
   */
  static final String NAME = "[A-Za-z_$][\\w.$-]{0,199}";

  /**
   * A server's component and its worker, joined by colons, in brackets as BentoML names the one
   * that logged ({@code [entry_service:SDXL:1]}, {@code [runner:llm:1]}): no dots, so that a
   * place in the source ({@code [render.py:42]}) is not one.
   */
  private static final String SERVICE_NAME = "[A-Za-z_][\\w-]{0,99}(?::[\\w-]{1,100}){1,5}";

  /**
   * The logger's name where formats put it after the level, set apart so that no message's own
   * words can be taken for it: before " - " ({@code %(levelname)s %(name)s - %(message)s},
   * Logback's {@code %-5level [%thread] %logger - %msg}, " -- " since Logback 1.5, where the
   * brackets hold the thread; Apache Flink's {@code %-5p %-60c %x - %m}, its empty context's
   * {@code []} before the dash), or else in brackets ({@code %(levelname)s [%(name)s]
   * %(message)s}, a colon after them or not).
   */
  private static final Pattern LOGGER_BEFORE_MESSAGE = Pattern.compile(
      "(?:\\[(?<thread>[^\\]]{1,100})\\] +)?(?<logger>" + NAME + ") +(?:\\[\\] +)?--? (?<dashed>.*)"
          + "|\\[(?<bracketed>" + NAME + "|" + SERVICE_NAME + ")\\]:? +(?<message>\\S.*)");

  /** The logger's name between pipes ({@code %(asctime)s | %(levelname)s | %(name)s | %(message)s}). */
  private static final Pattern PIPED_LOGGER = Pattern.compile("(?<logger>" + NAME + ") *\\| +(?<message>.*)");

  /**
   * A class's name in a package as the JVM's loggers print it ({@code kafka.server.KafkaServer},
   * Hadoop's {@code mapreduce.Job}): lowercase packages, a class's name with a capital and a small
   * letter, told from a file's name ({@code model.safetensors}, {@code frame_0001.PNG}), a type's
   * a message quotes ({@code Map.Entry}) and a message's first word.
   */
  private static final String CLASS_IN_PACKAGE = "[a-z][a-z\\d_]*(?:\\.[a-z_][\\w$]*)*\\.[A-Z][\\w$]*[a-z][\\w$]*";

  /** Hadoop's logger before the message and a colon ({@code %d{ISO8601} %p %c{2}: %m%n}). */
  private static final Pattern CLASS_AND_COLON = Pattern.compile("(?<logger>" + CLASS_IN_PACKAGE + "): (?<message>\\S.*)");

  /**
   * Kafka's logger after the message, in parentheses, with its line where Kafka Connect's format
   * asks ({@code [%d] %p %m (%c)%n}, Connect's {@code [%d] %p %X{connector.context}%m (%c:%L)%n}):
   * a class's name in a package ({@link #CLASS_IN_PACKAGE}), so that a message's own closing words
   * in parentheses stay its own. Kafka's loggers named otherwise ({@code state.change.logger})
   * stay in the message.
   */
  private static final Pattern TRAILING_LOGGER = Pattern.compile(
      " \\((?<logger>" + CLASS_IN_PACKAGE + ")(?::(?<line>\\d{1,7}))?\\)");

  private LoggerNames() {}

  /**
   * The message after the logger's name where a format sets it apart ({@link
   * #LOGGER_BEFORE_MESSAGE}), the name put in {@code logger} (and a thread before it in {@code
   * thread}); null where none is. The pattern runs only where the text begins with a bracket or
   * its first word is followed by a dash.
   */
  static String afterLogger(String text, RecordMetadata metadata) {
    if (text.charAt(0) != '[' && !dashAfterFirstWord(text)) {
      return null;
    }
    Matcher logger = LOGGER_BEFORE_MESSAGE.matcher(text);
    if (!logger.matches()) {
      return null;
    }
    if (logger.group("bracketed") != null) {
      metadata.put("logger", logger.group("bracketed"));
      return logger.group("message");
    }
    if (logger.group("thread") != null) {
      metadata.put("thread", logger.group("thread"));
    }
    metadata.put("logger", logger.group("logger"));
    return logger.group("dashed");
  }

  /** The message after a logger's name and a pipe ({@link #PIPED_LOGGER}); null where none is. */
  static String afterPipedLogger(String text, RecordMetadata metadata) {
    Matcher logger = PIPED_LOGGER.matcher(text);
    if (!logger.matches()) {
      return null;
    }
    metadata.put("logger", logger.group("logger"));
    return logger.group("message");
  }

  /**
   * The message after Hadoop's logger and a colon ({@link #CLASS_AND_COLON}), the logger put in
   * {@code logger}; the message as it is where none is: a name and a colon a message may begin
   * with ({@code render: disk almost full}), an exception's name ({@code java.io.IOException:
   * disk full}). The pattern runs only where the message's first word ends in a colon and a
   * capital follows its last dot: Python's {@code %(name)s: } ({@code app.render: ...}) took 1.26
   * of the time where it ran on every dotted name.
   */
  static String afterClassAndColon(String message, RecordMetadata metadata) {
    int space = message.indexOf(' ');
    if (space < 4 || message.charAt(space - 1) != ':') {
      return message;
    }
    int dot = message.lastIndexOf('.', space);
    if (dot < 1 || message.charAt(dot + 1) < 'A' || message.charAt(dot + 1) > 'Z') {
      return message;
    }
    Matcher logger = CLASS_AND_COLON.matcher(message);
    if (!logger.matches() || logger.group("logger").endsWith("Exception") || logger.group("logger").endsWith("Error")) {
      return message;   // a message that begins with an exception's name ("java.io.IOException: disk full")
    }
    metadata.put("logger", logger.group("logger"));
    return logger.group("message");
  }

  /**
   * The message before Kafka's logger in parentheses at its end ({@link #TRAILING_LOGGER}), the
   * logger put in {@code logger} and its line in {@code line}; the message as it is where none is.
   */
  static String beforeTrailingLogger(String message, RecordMetadata metadata) {
    int open = message.lastIndexOf(" (");
    if (open < 1) {
      return message;
    }
    Matcher logger = TRAILING_LOGGER.matcher(message).region(open, message.length());
    if (!logger.matches()) {
      return message;
    }
    metadata.put("logger", logger.group("logger"));
    if (logger.group("line") != null) {
      metadata.put("line", Integer.parseInt(logger.group("line")));
    }
    return message.substring(0, open);
  }

  /**
   * Whether the text's first word is followed by " - " or " -- ", spaces allowed before the dash,
   * and Flink's empty {@code []} before it.
   */
  private static boolean dashAfterFirstWord(String text) {
    int space = text.indexOf(' ');
    if (space < 1) {
      return false;
    }
    int dash = LoggerFormats.skipSpaces(text, space);
    if (text.startsWith("[] ", dash)) {
      dash = LoggerFormats.skipSpaces(text, dash + 2);
    }
    return text.startsWith("- ", dash) || text.startsWith("-- ", dash);
  }

  /**
   * Whether the text begins with a name as a logger's and a colon, then a space and a message
   * ({@code render: disk almost full}): a logger's, or the message's own first word, which cannot
   * be told apart.
   */
  static boolean startsWithNameAndColon(String text) {
    int space = text.indexOf(' ');
    if (space < 2 || text.charAt(space - 1) != ':' || space + 1 == text.length() || text.charAt(space + 1) == ' ') {
      return false;
    }
    char first = text.charAt(0);
    if (!(LevelNames.isWordChar(first) && !Character.isDigit(first) || first == '$')) {
      return false;
    }
    for (int i = 1; i < space - 1; i++) {
      char c = text.charAt(i);
      if (!(LevelNames.isWordChar(c) || c == '.' || c == '$' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  static boolean isNameChar(char c) {
    return LevelNames.isWordChar(c) || c == '.' || c == '$' || c == '-';
  }
}
