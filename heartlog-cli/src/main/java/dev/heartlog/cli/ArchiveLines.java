package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What the archive tools print on stderr when a worker's download will not unpack (a truncated
 * model archive, an HTML error page saved as {@code model.tar.gz}): tar's errors and the
 * decompressor's it runs, gzip's, xz's, zstd's and bzip2's, and unzip's. Each line was a
 * warning, as any stderr line naming no level, and one failure was three to six of them:
 *
 * <pre>
 * gzip: stdin: unexpected end of file
 * tar: Unexpected EOF in archive
 * tar: Unexpected EOF in archive
 * tar: Error is not recoverable: exiting now
 * </pre>
 *
 * Those lines are one ERROR, {@code component} the tool that printed the first ({@code gzip}
 * there), the lines as printed. tar's own last line ({@code Error is not recoverable: exiting
 * now}, {@code Exiting with failure status due to previous errors}) ends the record; so does any
 * other line, or a quiet moment (after which a blank line, or
 * one that only bzip2's error goes on with, is no more of it). unzip's error about a file that is no zip file (with {@code -q},
 * the archive's name in brackets, the four lines of {@code End-of-central-directory signature not
 * found...}, and two lines of {@code unzip: cannot find zipfile directory ...}) is one ERROR too.
 * tar's note that it stores absolute paths as relative ones ({@code tar: Removing leading `/'
 * from member names}), which a worker that archives its outputs by their absolute paths got as a
 * warning with every archive, is INFO; its warnings ({@code file changed as we read it}) are not
 * read here. One instance reads one stream.
 */
final class ArchiveLines extends RecordsOfLines {

  /** tar's last line when it ends on an error. */
  private static final List<String> TAR_ENDS = List.of("tar: Error is not recoverable: exiting now",
      "tar: Exiting with failure status due to previous errors");
  /** tar's errors about the archive it read, or the decompressor it ran. */
  private static final List<String> TAR_ERRORS = List.of("tar: Unexpected EOF in archive",
      "tar: This does not look like a tar archive", "tar: Child returned status ", "tar: Skipping to next header",
      "tar: Cowardly refusing to create an empty archive");
  /** How a decompressor, after its name and its input's, says its input is not what it reads. */
  private static final List<String> DECOMPRESSOR_ERRORS = List.of("not in gzip format", "unexpected end of file",
      "invalid compressed data--", "File format not recognized", "Unexpected end of input",
      "Compressed data is corrupt", "Memory usage limit reached", "unsupported format", "file ends unexpectedly");
  private static final List<String> DECOMPRESSORS = List.of("gzip: ", "xz: ", "zstd: ", "bzip2: ");
  /** bzip2's errors whose wording has no input's name before it, or the name without a colon. */
  private static final List<String> BZIP2_ERRORS = List.of("bzip2: Compressed file ends unexpectedly;",
      "bzip2: Data integrity error when decompressing.");
  private static final String NOT_BZIP2 = " is not a bzip2 file.";
  /** bzip2's advice after its error, each line a paragraph of its own. */
  private static final List<String> BZIP2_ADVICE = List.of("It is possible that the compressed file(s) have become corrupted.",
      "You can use the -tvv option to test integrity of such files.",
      "You can use the `bzip2recover' program to attempt to recover", "data from undamaged sections of corrupted files.");
  /** unzip's errors begin so, two spaces after the colon. */
  private static final String UNZIP = "unzip:  ";
  private static final String NO_ZIP = "  End-of-central-directory signature not found.";
  /** What the lines that begin an error, or unzip's archive's name, begin with. */
  private static final String FIRST_CHARACTERS = "tuxzgb[ ";
  /** tar's note, with the prefix it removed ({@code /}, {@code ../}) and what from between. */
  private static final String TAR_REMOVING = "tar: Removing leading `";
  private static final String TAR_USAGE = "Try 'tar --help' or 'tar --usage' for more information.";

  private final OpenRecord openError;
  /** The tool whose error is open, or was last. */
  private String tool;

  /** @param quietNanos how long after its last line an error may still go on */
  ArchiveLines(LongSupplier nanoTime, long quietNanos) {
    openError = new OpenRecord(nanoTime, quietNanos);
  }

  /**
   * A line of an archive tool's error, an ERROR (unzip's archive's name a WARNING, which its
   * error's next line makes an ERROR); null for any other line.
   */
  ChildLineParser.Parsed parse(String line, String stream) {
    boolean wasOpen = openError.isOpen();
    openError.ends();
    continuesRecord = false;
    moreFollows = false;
    if (wasOpen && continues(tool, line)) {
      continuesRecord = true;
      return lineOfError(Level.ERROR, line, stream, tool);
    }
    if (line.isEmpty() || FIRST_CHARACTERS.indexOf(line.charAt(0)) < 0) {
      return null;   // most lines: no tool's error begins so
    }
    if (line.startsWith(TAR_REMOVING) && line.contains("' from ")) {
      // INFO by its shape: a line after it that names no level keeps the stream's
      return new ChildLineParser.Parsed(Level.INFO, line, null, metadata(stream, "tar"), false,
          null, ChildLineParser.TaskScope.CURRENT, false, true, true);
    }
    String begun = toolOfError(line);
    if (begun == null) {
      // unzip -q names the archive before its error, or a warning
      return isZipNamed(line) ? lineOfError(Level.WARNING, line, stream, "unzip") : null;
    }
    return lineOfError(Level.ERROR, line, stream, begun);
  }

  /** A record of a line of {@code tool}'s error, which stays open unless the line is tar's last. */
  private ChildLineParser.Parsed lineOfError(Level level, String line, String stream, String tool) {
    this.tool = tool;
    moreFollows = !TAR_ENDS.contains(line);
    if (moreFollows) {
      openError.goesOn();
    }
    return record(level, line, stream, tool);
  }

  /** The tool of a line that is its error; null for any other line. */
  private static String toolOfError(String line) {
    if (line.startsWith("tar: ")) {
      return TAR_ENDS.contains(line) || TAR_ERRORS.stream().anyMatch(line::startsWith)
          || line.endsWith(": Not found in archive") || "tar".equals(ShellErrorLines.failedCallsProgram(line)) ? "tar" : null;
    }
    if (line.startsWith(UNZIP) || line.startsWith(NO_ZIP)) {
      return "unzip";
    }
    for (String decompressor : DECOMPRESSORS) {   // a loop, not a stream: it runs for most lines
      if (line.startsWith(decompressor)) {
        String tool = decompressor.substring(0, decompressor.length() - 2);
        return isDecompressorError(line, decompressor.length()) ? tool : null;
      }
    }
    return null;
  }

  private static boolean isDecompressorError(String line, int afterTool) {
    if (line.startsWith("bzip2: ") && (BZIP2_ERRORS.contains(line) || line.endsWith(NOT_BZIP2))) {
      return true;
    }
    int described = line.lastIndexOf(": ") + 2;
    if (described <= afterTool) {
      return false;   // no input named before it
    }
    for (String error : DECOMPRESSOR_ERRORS) {
      if (line.startsWith(error, described)) {
        return true;
      }
    }
    return ShellErrorLines.failedCallsProgram(line) != null;   // gzip: model.gz: No such file or directory
  }

  /** Whether a line that is no tool's error of its own goes on with {@code tool}'s open error. */
  private static boolean continues(String tool, String line) {
    switch (tool) {
      case "unzip":
        return line.startsWith(" ") || line.startsWith(UNZIP);
      case "bzip2":
        // "\tperhaps it is corrupted?  *Possible* reason follows.", the reason, and its advice
        return line.startsWith("\t") || line.isEmpty() || line.startsWith("bzip2: ") || BZIP2_ADVICE.contains(line)
            || line.startsWith("tar: ") && toolOfError(line) != null;
      case "tar":
        return line.equals(TAR_USAGE) || line.isEmpty() || toolOfError(line) != null;
      default:
        // gzip writes a blank line before its error, and tar's follow it
        return line.isEmpty() || toolOfError(line) != null;
    }
  }

  /** Whether the line is an archive's name alone in brackets, as {@code unzip -q} prints it: {@code [model.zip]}. */
  private static boolean isZipNamed(String line) {
    return line.length() > "[.zip]".length() && line.charAt(0) == '[' && line.regionMatches(true, line.length() - 5, ".zip]", 0, 5);
  }
}
