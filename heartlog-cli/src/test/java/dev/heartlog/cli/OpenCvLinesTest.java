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
 * OpenCV's log lines, as {@link ChildLineParser} reads them ({@link OpenCvLines}) and heartlog run
 * stores them. The replayed lines are what Debian's OpenCV 4.6.0 printed on stderr from Python
 * ({@code OPENCV_LOG_LEVEL=INFO}) for a missing image, a missing video, a missing file storage and
 * a video writer that could not open.
 */
class OpenCvLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void theLevelIsTheLinesAndThePlaceInOpenCvsSourceIsMetadata() {
    ChildLineParser.Parsed missing = parser.parse("[ WARN:0@0.093] global ./modules/imgcodecs/src/loadsave.cpp (239) "
        + "findDecoder imread_('/nonexistent/frame.png'): can't open/read file: check file path/integrity", Level.INFO, "stdout");
    // With the line after a colon, as public reports quote later versions.
    ChildLineParser.Parsed later = parser.parse("[ERROR:0@0.049] global persistence.cpp:505 open Can't open file: 'model.yml' "
        + "in read mode", Level.WARNING, "stderr");
    // Before 4.5.3, without the seconds.
    ChildLineParser.Parsed older = parser.parse("[ WARN:0] global /build/opencv/modules/videoio/src/cap_gstreamer.cpp (1100) "
        + "open OpenCV | GStreamer warning: Cannot query video position", Level.INFO, "stdout");

    assertThat(missing.level()).isEqualTo(Level.WARNING);
    assertThat(missing.message()).isEqualTo("imread_('/nonexistent/frame.png'): can't open/read file: check file path/integrity");
    assertThat(missing.metadata()).containsEntry("component", "opencv")
        .containsEntry("file", "./modules/imgcodecs/src/loadsave.cpp").containsEntry("line", 239)
        .containsEntry("function", "findDecoder");
    assertThat(later.level()).isEqualTo(Level.ERROR);
    assertThat(later.message()).isEqualTo("Can't open file: 'model.yml' in read mode");
    assertThat(later.metadata()).containsEntry("file", "persistence.cpp").containsEntry("line", 505);
    assertThat(older.level()).isEqualTo(Level.WARNING);
    assertThat(older.message()).isEqualTo("OpenCV | GStreamer warning: Cannot query video position");
    assertThat(List.of("FATAL", "DEBUG", "VERBOSE", " INFO"))
        .extracting(level -> parser.parse("[" + level + ":0@1.5] global x.cpp (1) f m", Level.WARNING, "stderr").level())
        .containsExactly(Level.CRITICAL, Level.DEBUG, Level.DEBUG, Level.INFO);
    String other = "[ WARN:0] just a warning";
    assertThat(parser.parse(other, Level.INFO, "stdout").message()).as("no place in a source").isEqualTo(other);
  }

  @Test
  void openCvsErrorsAreErrorsAndItsInfoLinesOnStderrNoWarnings() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "opencv-4.6.0-python.txt", "opencv");

    // Before, the level was read, but each message kept OpenCV's prefix.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).startsWith(
        tuple("WARNING", "imread_('/nonexistent/frame.png'): can't open/read file: check file path/integrity"),
        tuple("INFO", "VIDEOIO: Enabled backends(9, sorted by priority): FFMPEG(1000); GSTREAMER(990); INTEL_MFX(980); "
            + "V4L2(970); CV_IMAGES(960); CV_MJPEG(950); FIREWIRE(940); UEYE(930); GPHOTO2(920)"));
    assertThat(records).filteredOn(r -> r.level().equals("ERROR")).extracting(StoredRecord::message)
        .containsExactly("Can't open file: '/nonexistent/model.yml' in read mode",
            "VIDEOIO(GSTREAMER): raised OpenCV exception:\n\nOpenCV(4.6.0) ./modules/videoio/src/cap_gstreamer.cpp:147: "
                + "error: (-215:Assertion failed) ptr in function 'get'");
  }
}
