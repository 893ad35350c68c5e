package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.regex.Pattern;

/**
 * What git prints on stderr besides its errors, where each line was a warning: a worker's start
 * often clones or pins the code it runs ({@code git clone ... && git checkout 1a2b3c4}).
 *
 * <ul>
 *   <li>Its hints, a paragraph of {@code hint: } lines (eleven at {@code git init}), are one INFO
 *       record, the hint's text without the prefixes; a hint written with the line before it is
 *       left to that line, as more of its message.
 *   <li>Its note on a detached HEAD ({@code Note: switching to '1a2b3c4'.} and the fifteen lines
 *       of advice it writes with it, up to {@code Turn off this advice ...}) is one INFO record.
 *   <li>Its reports of work done are INFO, {@code component} {@code git}: {@code Cloning into
 *       'x'...} and the {@code done.} after it, {@code From <url>} and the refs it fetched, {@code
 *       Switched to branch 'main'}, {@code HEAD is now at ...}.
 * </ul>
 *
 * Its {@code fatal: ...}, {@code error: ...} and {@code warning: ...} keep their level ({@link
 * WinstonLines}); a ref it refused ({@code ! [rejected]}) and the server's {@code remote: ...}
 * lines the stream's. One instance reads one stream.
 */
final class GitLines extends RecordsOfLines {

  /** A ref fetched: {@code  * [new branch]  main  -> origin/main}, {@code    1a2b..3c4d  main -> origin/main}. */
  private static final Pattern FETCHED_REF =
      Pattern.compile(" [ *+\\-t=] (?:\\[[a-z ]+\\]|branch|tag|[0-9a-f]{4,}\\.\\.\\.?[0-9a-f]{4,}) +\\S+ +-> \\S+.*");
  /** The last line of the note on a detached HEAD, in git 2.24 and later. */
  private static final String NOTE_END = "Turn off this advice by setting config variable advice.detachedHead to false";
  /** How many lines after {@code Cloning into} its {@code done.} may come: a warning may come between. */
  private static final int DONE_REACH = 2;

  private boolean lastWasHint;
  private boolean hintsLeft;          // the hint being read is left to the line before it
  private long noteRead;              // the read the note on a detached HEAD came in; 0 when none is open
  private int sinceCloning = Integer.MAX_VALUE;

  /**
   * A line of git's, at INFO; null for any other line, and for git's errors and warnings.
   *
   * @param read the read the line came in: the note's advice is the lines written with it
   * @param followsLineOfItsRead the line came right after another line in the same read
   */
  ChildLineParser.Parsed parse(String line, String stream, long read, boolean followsLineOfItsRead) {
    continuesRecord = false;
    moreFollows = false;
    boolean hint = isHint(line);
    boolean continuesHint = lastWasHint;
    lastWasHint = hint;
    if (hint && (continuesHint ? hintsLeft : followsLineOfItsRead)) {
      // Written with the line before it, the hint is more of that line's message, as the rest of
      // the box pip writes with its error ("hint: See above for details."): plain, and so are
      // the hint's further lines.
      hintsLeft = true;
      return null;
    }
    hintsLeft = false;
    if (sinceCloning < Integer.MAX_VALUE) {
      sinceCloning++;
    }
    if (noteRead != 0) {
      if (read == noteRead && !hint) {
        continuesRecord = true;
        moreFollows = !line.equals(NOTE_END);
        if (!moreFollows) {
          noteRead = 0;
        }
        return info(line, stream, false);
      }
      noteRead = 0;
    }
    if (hint) {
      continuesRecord = continuesHint;
      moreFollows = true;   // until a line that is no hint, or a quiet moment
      return info(line.startsWith("hint: ") ? line.substring("hint: ".length()) : line.substring("hint:".length()),
          stream, false);
    }
    if (line.startsWith("Note: switching to '") || line.startsWith("Note: checking out '")) {
      noteRead = read;
      moreFollows = true;
      return info(line, stream, true);
    }
    if (line.startsWith("Cloning into '")) {
      sinceCloning = 0;
      return info(line, stream, true);
    }
    if (line.equals("done.") && sinceCloning <= DONE_REACH) {
      sinceCloning = Integer.MAX_VALUE;
      return info(line, stream, true);
    }
    return isReport(line) ? info(line, stream, true) : null;
  }

  private static boolean isHint(String line) {
    return line.startsWith("hint:") && (line.length() == "hint:".length() || line.charAt("hint:".length()) == ' ');
  }

  private static boolean isReport(String line) {
    return line.startsWith("Switched to branch '") || line.startsWith("Switched to a new branch '")
        || line.startsWith("Already on '") || line.startsWith("HEAD is now at ")
        || line.startsWith("Previous HEAD position was ") || line.startsWith("Your branch is ")
        || line.startsWith("From ") && line.indexOf(' ', "From ".length()) < 0 && line.length() > "From ".length()
        || line.startsWith(" ") && FETCHED_REF.matcher(line).matches();
  }

  private static ChildLineParser.Parsed info(String message, String stream, boolean component) {
    RecordMetadata metadata = new RecordMetadata(2);
    metadata.put("stream", stream);
    if (component) {
      metadata.put("component", "git");
    }
    // INFO by its shape: a line after it that names no level keeps the stream's
    return new ChildLineParser.Parsed(Level.INFO, message, null, metadata, false, null,
        ChildLineParser.TaskScope.CURRENT, false, true, true);
  }
}
