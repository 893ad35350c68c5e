package dev.heartlog.cli;

import dev.heartlog.agent.Level;

/**
 * npm's lines on stderr, as a Node.js worker's start prints them ({@code npm ci}, {@code npm
 * install}): {@code npm error ...} (npm 10 and later; {@code npm ERR! ...} before), {@code npm
 * warn ...} ({@code npm WARN ...}) and {@code npm notice ...}, each a warning before. They are
 * at their level, {@code component} {@code npm}, the message after the prefix; the lines of one
 * error ({@code code E404}, the request that failed, what to try, where its log is) are one
 * record, where each was a record of its own, eight for a package not found. The error ends at
 * its line naming the log ({@code A complete log of this run can be found in: ...}), at a line
 * that is not npm's error, or at a quiet moment. One instance reads one stream.
 */
final class NpmLines extends RecordsOfLines {

  private static final String LOG_NAMED = "A complete log of this run can be found in:";

  private boolean inError;           // the last line was of an error, and more of it may follow
  private boolean logOnNextLine;     // npm 9 and before name the log on the line after LOG_NAMED

  /** A line of npm's, at its level; null for any other line. */
  ChildLineParser.Parsed parse(String line, String stream) {
    continuesRecord = false;
    moreFollows = false;
    if (line.isEmpty() && inError) {
      // npm 9 writes a blank line before naming its log: still the error's
      continuesRecord = true;
      moreFollows = true;
      return record(Level.ERROR, "", stream);
    }
    if (!line.startsWith("npm ")) {
      inError = false;
      return null;
    }
    Level level;
    String message;
    if (line.equals("npm error") || line.equals("npm ERR!")) {
      level = Level.ERROR;   // a blank line of an error's
      message = "";
    } else if (line.startsWith("npm error ") || line.startsWith("npm ERR! ")) {
      level = Level.ERROR;
      message = line.substring(line.charAt(4) == 'e' ? "npm error ".length() : "npm ERR! ".length());
    } else if (line.startsWith("npm warn ") || line.startsWith("npm WARN ")) {
      level = Level.WARNING;
      message = line.substring("npm warn ".length());
    } else if (line.startsWith("npm notice ")) {
      level = Level.INFO;
      message = line.substring("npm notice ".length());
    } else {
      inError = false;
      return null;
    }
    if (level == Level.ERROR) {
      continuesRecord = inError;
      boolean last = logOnNextLine || message.startsWith(LOG_NAMED) && message.length() > LOG_NAMED.length();
      logOnNextLine = !last && message.equals(LOG_NAMED);
      moreFollows = !last;
      inError = !last;
    } else {
      inError = false;
      logOnNextLine = false;
    }
    return record(level, message, stream);
  }

  private static ChildLineParser.Parsed record(Level level, String message, String stream) {
    return record(level, message, stream, "npm");
  }
}
