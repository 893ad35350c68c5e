package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * curl's lines on stderr. Its error, {@code curl: (7) Failed to connect to ...}, was a warning,
 * though the command failed with that code: it is an ERROR, the message after the code, the code
 * in {@code code}, {@code component} {@code curl}. Where curl gave up while its progress meter was
 * drawn, the error ends the meter's line ({@code ... --:--:--     0curl: (6) Could not resolve
 * host: ...}): the error is read from there. The meter's two lines of headings, a warning each,
 * are INFO (its states are progress already, {@link TerminalLines}).
 */
final class CurlLines {

  /** curl's error: {@code curl: (<exit code>) <message>}. */
  private static final Pattern ERROR = Pattern.compile("curl: \\((?<code>\\d{1,3})\\) (?<message>.+)");
  private static final String HEADING = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current";
  private static final String UNITS = "Dload  Upload   Total   Spent    Left  Speed";

  private CurlLines() {}

  /** A line of curl's: its error or its meter's headings; null for any other line. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    int error = line.startsWith("curl: (") ? 0 : line.indexOf("curl: (");
    if (error > 0 && !startsAsMeter(line)) {
      error = -1;   // a line of the worker's own that quotes curl's error
    }
    if (error >= 0) {
      Matcher matcher = ERROR.matcher(line).region(error, line.length());
      if (!matcher.matches()) {
        return null;
      }
      metadata.put("component", "curl");
      metadata.put("code", Integer.parseInt(matcher.group("code")));
      return new ChildLineParser.Parsed(Level.ERROR, matcher.group("message"), null, metadata, false);
    }
    if (line.equals(HEADING) || line.endsWith(UNITS) && line.strip().equals(UNITS)) {
      metadata.put("component", "curl");
      // INFO by its shape, and still plain: read with the heading before it, it joins that record
      return new ChildLineParser.Parsed(Level.INFO, line, null, metadata, false, null, ChildLineParser.TaskScope.CURRENT,
          !line.equals(HEADING), false, true);
    }
    return null;
  }

  /** Whether the line begins as a state of curl's meter: spaces, then the percentage received. */
  private static boolean startsAsMeter(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i < line.length() && Character.isDigit(line.charAt(i));
  }
}
