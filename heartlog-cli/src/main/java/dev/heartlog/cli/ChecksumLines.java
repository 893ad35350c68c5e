package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;

/**
 * What a checksum check prints of a file that failed it: a worker's start script checks the model
 * it downloaded ({@code sha256sum -c model.sha256}), and coreutils' {@code sha256sum}, {@code
 * md5sum}, {@code b2sum} and the others print each file's result on stdout, {@code
 * model.safetensors: OK} or {@code model.safetensors: FAILED} ({@code ... FAILED open or read}
 * for a file that is not there). A failed file's line is an ERROR, where it was INFO as any stdout
 * line; the check's own summary on stderr ({@code sha256sum: WARNING: 1 computed checksum did NOT
 * match}) keeps the level it names. So does a list without one checksum in it ({@code sha256sum:
 * model.sha256: no properly formatted checksum lines found}): an ERROR, as it ends the check.
 */
final class ChecksumLines {

  private static final String FAILED = ": FAILED";
  private static final String NOT_READ = ": FAILED open or read";
  private static final String NO_CHECKSUMS = ": no properly formatted checksum lines found";

  private ChecksumLines() {}

  /** A line of a checksum check's failure, an ERROR; null for any other line. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    char last = line.isEmpty() ? ' ' : line.charAt(line.length() - 1);
    if (last != 'D' && last != 'd') {
      return null;   // most lines: none of these ends so
    }
    if (line.endsWith(FAILED) && line.length() > FAILED.length()
        || line.endsWith(NOT_READ) && line.length() > NOT_READ.length()) {
      return new ChildLineParser.Parsed(Level.ERROR, line, null, metadata, false);
    }
    String program = line.endsWith(NO_CHECKSUMS) ? checksumProgram(line) : null;
    if (program == null) {
      return null;
    }
    metadata.put("component", program);
    return new ChildLineParser.Parsed(Level.ERROR, line, null, metadata, false);
  }

  /** The program a line begins with, where it is a checksum program's ({@code sha256sum}, {@code md5sum}); null where not. */
  private static String checksumProgram(String line) {
    int colon = line.indexOf(": ");
    String program = line.substring(0, colon);
    return program.endsWith("sum") && program.chars().allMatch(Character::isLetterOrDigit) ? program : null;
  }
}
