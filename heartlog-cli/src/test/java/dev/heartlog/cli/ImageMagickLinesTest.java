package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ImageMagick's messages, as {@link ChildLineParser} reads them ({@link ImageMagickLines}) and
 * heartlog run stores them. The replayed lines are what Debian's ImageMagick 6.9.11 ({@code
 * convert}) printed on stderr for a missing file, a truncated JPEG and a file that is no PNG.
 */
class ImageMagickLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void theSeverityAfterTheAtIsTheLevelAndThePlaceIsMetadata() {
    ChildLineParser.Parsed missing = parser.parse(
        "convert-im6.q16: unable to open image `nosuch.png': No such file or directory @ error/blob.c/OpenBlob/3029.",
        Level.WARNING, "stderr");

    assertThat(missing.level()).isEqualTo(Level.ERROR);
    assertThat(missing.message()).isEqualTo("unable to open image `nosuch.png': No such file or directory");
    assertThat(missing.metadata()).containsEntry("component", "convert-im6.q16").containsEntry("file", "blob.c")
        .containsEntry("function", "OpenBlob").containsEntry("line", 3029);
    assertThat(parser.parse("magick: delegate library support not built-in `x.heic' (HEIC) @ fatal/heic.c/ReadHEICImage/12.",
        Level.WARNING, "stderr").level()).isEqualTo(Level.CRITICAL);
    String mail = "render: sent to ops @ error/escalation, see the wiki.";
    assertThat(parser.parse(mail, Level.WARNING, "stderr")).as("an @ that names no place in a source")
        .returns(Level.WARNING, ChildLineParser.Parsed::level).returns(mail, ChildLineParser.Parsed::message);
  }

  @Test
  void convertsErrorsAreErrorsAndItsWarningsWarnings() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "imagemagick-6.9.11-convert.txt", "imagemagick");

    // Before, each was a warning, the errors too.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "unable to open image `nosuch.png': No such file or directory"),
        tuple("ERROR", "no images defined `out.jpg'"),
        tuple("WARNING", "Premature end of JPEG file `/tmp/w/trunc.jpg'"),
        tuple("WARNING", "Corrupt JPEG data: premature end of data segment `/tmp/w/trunc.jpg'"),
        tuple("ERROR", "improper image header `/tmp/w/bad.png'"),
        tuple("ERROR", "no images defined `out2.jpg'"));
  }
}
