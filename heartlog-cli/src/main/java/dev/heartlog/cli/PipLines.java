package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pip's diagnostic errors, the boxes it prints when a package fails to build: {@code error:
 * subprocess-exited-with-error}, then the failed step, the builder's output (a traceback:
 * {@code RuntimeError: CUDA_HOME is not set}) and a note. Where pip prints the box within a step
 * of its own, the line is indented, and the box was a warning; at the margin, {@link
 * WinstonLines} read it already. pip's other lines: {@code ERROR: ...} and {@code WARNING: ...}
 * are read as a logger's ({@link PythonLoggingLines#basic}); its {@code [notice]} lines are
 * INFO ({@link #notice}); the rest, on stdout, are INFO.
 */
final class PipLines {

  /** {@code error: <reference>}, the reference in words joined by hyphens, as pip names its errors. */
  private static final Pattern DIAGNOSTIC = Pattern.compile(" +error: (?<reference>[a-z]+(?:-[a-z]+)+)");

  /** What pip writes before its notice that a newer pip is out. */
  private static final String NOTICE = "[notice] ";
  /** The notice's two lines, as pip begins them; another program's {@code [notice]} is not pip's. */
  private static final List<String> NOTICES = List.of(
      NOTICE + "A new release of pip is available: ", NOTICE + "To update, run: ");

  private PipLines() {}

  /**
   * pip's notice that a newer pip is out, two lines at the end of an install ({@code [notice] A
   * new release of pip is available: 23.2.1 -> 26.2.1}, {@code [notice] To update, run: ...}):
   * INFO, without the prefix, {@code component} pip; null for any other line, another program's
   * {@code [notice] ...} among them. Each was a warning, two for every {@code pip install} of a
   * worker's start.
   */
  static ChildLineParser.Parsed notice(String line, RecordMetadata metadata) {
    if (!line.startsWith(NOTICE) || NOTICES.stream().noneMatch(line::startsWith)) {
      return null;
    }
    metadata.put("component", "pip");
    return new ChildLineParser.Parsed(Level.INFO, line.substring(NOTICE.length()), null, metadata, false);
  }

  /** An indented diagnostic error of pip's: ERROR, its reference the message; null for any other line. */
  static ChildLineParser.Parsed diagnostic(String line, RecordMetadata metadata) {
    if (!line.startsWith("  ") || line.indexOf("error: ") < 0) {
      return null;
    }
    Matcher matcher = DIAGNOSTIC.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("component", "pip");
    return new ChildLineParser.Parsed(Level.ERROR, matcher.group("reference"), null, metadata, false);
  }
}
