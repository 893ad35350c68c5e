package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import java.util.Locale;

/**
 * The level a logger's word for it stands for, in each vocabulary heartlog run reads (the JVM's,
 * syslog's, three letters, one letter), and the level a line of a format heartlog does not read
 * names near its start ({@link #levelNamedNearStart}).
 */
final class LevelNames {

  /** How far into a line of another format {@link #levelNamedNearStart} looks for a level name. */
  static final int LEVEL_NAME_REACH = 48;

  /**
   * How far it looks for a level set apart by " - ", as Python's most quoted format prints it
   * ({@code %(asctime)s - %(name)s - %(levelname)s - %(message)s}) after a logger's dotted name.
   */
  static final int LEVEL_FIELD_REACH = 160;

  private LevelNames() {}

  /** The level of a JVM logger's name for it (Logback's, Log4j2's): TRACE is DEBUG, WARN WARNING, FATAL CRITICAL. */
  static Level javaLevel(String name) {
    return switch (name) {
      case "TRACE", "DEBUG" -> Level.DEBUG;
      case "INFO" -> Level.INFO;
      case "WARN" -> Level.WARNING;
      case "ERROR" -> Level.ERROR;
      default -> Level.CRITICAL;   // FATAL
    };
  }

  /**
   * The level of a line that begins with a level's word, capitalized, and a colon, as programs
   * write a message for a person: Blender's reports on stdout ({@code Error: Cannot read file
   * '/srv/scenes/shot12.blend': No such file or directory}, {@code Warning: ...}, {@code Info:
   * ...}, {@code Out Of Memory Error: ...}), a Go command's {@code Error: unknown flag: --queue},
   * a Rust program's {@code main} returning an error, a script's {@code print(f"Error: {e}")}. A
   * message must follow the colon and a space; null for any other line.
   */
  static Level levelWordFirst(String line) {
    int colon = line.indexOf(": ");
    if (colon < 4 || colon > 21 || colon + 2 == line.length() || line.charAt(colon + 2) == ' ') {
      return null;
    }
    return switch (line.substring(0, colon)) {
      case "Error", "Invalid Input Error", "Invalid Context Error", "Out Of Memory Error" -> Level.ERROR;
      case "Warning" -> Level.WARNING;
      case "Info" -> Level.INFO;
      default -> null;
    };
  }

  /**
   * The level a line of another format names near its start, where common formats put it:
   * Python's logging ({@code INFO:root:...}, {@code ... - WARNING - ...}), loguru ({@code ... |
   * ERROR    | ...}), {@code [WARN] ...}. A level name in capitals, a word of its own, within the
   * first {@link #LEVEL_NAME_REACH} characters, or in any case alone in brackets there
   * (structlog's console lines, on stdout: {@code 2026-11-29 18:42:45 [error    ] render
   * failed}), or set apart by " - " within the first {@link #LEVEL_FIELD_REACH}; null where there
   * is none. (Python's logging writes to stderr, so without this every record of a Python
   * worker's would be a warning.)
   */
  static Level levelNamedNearStart(String line) {
    int reach = Math.min(line.length(), LEVEL_NAME_REACH);
    int i = 0;
    while (i < reach) {
      if (!isWordChar(line.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < line.length() && isWordChar(line.charAt(i))) {
        i++;
      }
      Level level = levelName(line.substring(start, i));
      if (level == null && start > 0 && line.charAt(start - 1) == '[') {
        level = bracketedLevel(line, start, i);
      }
      if (level != null) {
        return level;
      }
    }
    return levelField(line);
  }

  /**
   * The level of a word in any case between {@code [} and {@code ]}, spaces allowed before the
   * bracket ({@code [info     ]}, {@code [warning]}); null for any other word.
   */
  private static Level bracketedLevel(String line, int start, int end) {
    int close = end;
    while (close < line.length() && line.charAt(close) == ' ') {
      close++;
    }
    if (close == line.length() || line.charAt(close) != ']') {
      return null;
    }
    return levelName(line.substring(start, end).toUpperCase(Locale.ROOT));
  }

  /** A level name between " - " and " - " within {@link #LEVEL_FIELD_REACH} characters, or null. */
  private static Level levelField(String line) {
    int reach = Math.min(line.length(), LEVEL_FIELD_REACH);
    for (int start = line.indexOf(" - "); start >= 0 && start < reach; start = line.indexOf(" - ", start + 3)) {
      int end = line.indexOf(" - ", start + 3);
      if (end < 0) {
        return null;
      }
      Level level = levelName(line.substring(start + 3, end));
      if (level != null) {
        return level;
      }
    }
    return null;
  }

  /** The level of a level's name in capitals, as Python's logging and the JVM's loggers print it; null for any other word. */
  static Level levelName(String word) {
    return switch (word) {
      case "TRACE", "DEBUG" -> Level.DEBUG;
      case "INFO" -> Level.INFO;
      case "WARN", "WARNING" -> Level.WARNING;
      case "ERROR", "SEVERE" -> Level.ERROR;
      case "CRITICAL", "FATAL" -> Level.CRITICAL;
      default -> null;
    };
  }

  /**
   * The level of one of syslog's names as a logger writes it in capitals (Monolog, rclone, asynq;
   * Elixir's Logger in small letters, given here in capitals): NOTICE is INFO, WARN WARNING, and
   * CRITICAL, ALERT, EMERGENCY and FATAL are CRITICAL. The caller's pattern lets only these through.
   */
  static Level syslogLevel(String name) {
    return switch (name) {
      case "DEBUG" -> Level.DEBUG;
      case "INFO", "NOTICE" -> Level.INFO;
      case "WARNING", "WARN" -> Level.WARNING;
      case "ERROR" -> Level.ERROR;
      default -> Level.CRITICAL;
    };
  }

  /**
   * The level of the three letters a logger writes for it (zerolog's console, Serilog's
   * console): TRC, VRB (verbose) and DBG are DEBUG, INF INFO, WRN WARNING, ERR ERROR, FTL and
   * PNC (panic) CRITICAL; null for any other three letters.
   */
  static Level threeLetterLevel(String letters) {
    return switch (letters) {
      case "TRC", "VRB", "DBG" -> Level.DEBUG;
      case "INF" -> Level.INFO;
      case "WRN" -> Level.WARNING;
      case "ERR" -> Level.ERROR;
      case "FTL", "PNC" -> Level.CRITICAL;
      default -> null;
    };
  }

  /**
   * The level of the letter a logger writes for it (glog's, Tornado's, ONNX Runtime's and
   * TensorRT's): D, V (verbose) and T (trace) are DEBUG, I INFO, W WARNING, E ERROR, and the
   * others they write (F fatal, C critical) CRITICAL.
   */
  static Level letterLevel(char letter) {
    return switch (letter) {
      case 'D', 'V', 'T' -> Level.DEBUG;
      case 'I' -> Level.INFO;
      case 'W' -> Level.WARNING;
      case 'E' -> Level.ERROR;
      default -> Level.CRITICAL;
    };
  }

  /** A letter, digit or underscore of ASCII: what a level's name and a logger's are made of. */
  static boolean isWordChar(char c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_';
  }
}
