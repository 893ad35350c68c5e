package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;

/**
 * The AWS CLI's report of a transfer that failed, as a worker fetches its model or uploads its
 * frames with {@code aws s3 cp} or {@code aws s3 sync}: {@code upload failed: out/0001.png to
 * s3://renders/0001.png Could not connect to the endpoint URL: "..."}, on stderr, one line for
 * each file. It was a warning, though the command fails with it: it is an ERROR, {@code
 * component} {@code aws}, the line as printed. (Its {@code fatal error: ...}, which ends the
 * command before any transfer, was an ERROR already.)
 */
final class AwsCliLines {

  /** What the AWS CLI's S3 commands print before a file whose transfer failed. */
  private static final String[] FAILURES = {"upload failed: ", "download failed: ", "copy failed: ", "delete failed: "};

  private AwsCliLines() {}

  /** A transfer's failure, an ERROR; null for any other line. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (line.length() < "copy failed: ".length() || line.charAt(0) < 'c' || line.charAt(0) > 'u') {
      return null;
    }
    for (String failure : FAILURES) {
      if (line.startsWith(failure) && line.indexOf(" to ", failure.length()) > 0) {
        metadata.put("component", "aws");
        return new ChildLineParser.Parsed(Level.ERROR, line, null, metadata, false);
      }
    }
    return null;
  }
}
