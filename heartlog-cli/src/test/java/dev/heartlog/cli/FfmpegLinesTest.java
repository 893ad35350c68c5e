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
 * ffmpeg's lines with their level ({@code -loglevel level+info}), as {@link ChildLineParser} reads
 * them and heartlog run stores them. The lines are what Debian's ffmpeg 5.1.9 printed on stderr
 * encoding three seconds of a test pattern with libx264, then failing to open a missing file; and,
 * in its default output, which names no level, encoding with libx264, with libx265 and to AAC
 * at a bitrate it clamped, then failing to open a missing file.
 */
class FfmpegLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.WARNING, "stderr");
  }

  @Test
  void aLineGivesItsLevelAndTheComponentThatLoggedIt() {
    assertThat(List.of("trace", "debug", "verbose", "info", "warning", "error", "fatal", "panic"))
        .extracting(level -> parse("[" + level + "] x").level())
        .containsExactly(Level.DEBUG, Level.DEBUG, Level.DEBUG, Level.INFO, Level.WARNING, Level.ERROR, Level.CRITICAL,
            Level.CRITICAL);
    ChildLineParser.Parsed decoding = parse("[h264 @ 0x5581c2f0a2c0] [error] error while decoding MB 12 7, bytestream -5");
    assertThat(decoding.level()).isEqualTo(Level.ERROR);
    assertThat(decoding.message()).isEqualTo("error while decoding MB 12 7, bytestream -5");
    assertThat(decoding.metadata()).containsEntry("component", "h264");
    assertThat(List.of("[aac @ 0x56261db0e3c0] Too many bits 20897.959184 > 6144 per frame requested, clamping to max",
            "[step 3] [info] x", "[notice] x"))
        .as("ffmpeg's default lines, which name no level, and others'")
        .allSatisfy(line -> assertThat(parse(line).message()).as(line).isEqualTo(line));
  }

  @Test
  void theDefaultOutputsLinesAtInfoAreInfoAndItsWarningsAndFailureStayWarnings() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "ffmpeg-5.1.9-default.txt", "ffmpeg-default");

    // Before, every line was a warning: the banner, each stream, x264's statistics.
    assertThat(records).filteredOn(record -> !record.level().equals("INFO")).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly(
            tuple("WARNING", "halving the quality when psy-rd is enabled for 444 input. Setting cbQpOffset = 6 and crQpOffset = 6"),
            tuple("WARNING", "Source height < 720p; disabling lookahead-slices"),
            // read with "Press [q] to stop, ..." whose INFO is by its shape alone: not its level
            tuple("WARNING", "[aac @ 0x56261db0e3c0] Too many bits 20897.959184 > 6144 per frame requested, clamping to max"),
            tuple("WARNING", "[aac @ 0x56261db0e3c0] Qavg: 60199.035"),
            tuple("WARNING", "/srv/app/missing.mp4: No such file or directory"));
    assertThat(records.get(0).message()).as("the banner, its indented lines read with it")
        .startsWith("ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers\n  built with gcc 12")
        .endsWith("  libpostproc    56.  6.100 / 56.  6.100");
    assertThat(records).filteredOn(record -> record.message().startsWith("frame I:1 ")).singleElement()
        .satisfies(record -> assertThat(record.metadataJson()).contains("\"component\": \"libx264\""));
    assertThat(records).filteredOn(record -> record.message().startsWith("Source height")).singleElement()
        .satisfies(record -> assertThat(record.metadataJson()).contains("\"component\": \"x265\""));
  }

  @Test
  void anIndentedLineOfFfmpegsIsInfoEvenReadApartFromItsHeadingAndX264sOwnGiveTheirLevel() {
    assertThat(List.of("  Duration: N/A, start: 0.000000, bitrate: N/A", "    Metadata:", "      encoder         : Lavf59.27.100",
            "  Stream #0:0 -> #0:0 (rawvideo (native) -> h264 (libx264))", "      cpb: bitrate max/min/avg: 0/0/0 buffer size: 0"))
        .allSatisfy(line -> assertThat(parse(line)).as(line)
            .returns(Level.INFO, ChildLineParser.Parsed::level).returns(true, ChildLineParser.Parsed::plain));
    ChildLineParser.Parsed x264 = parse("x264 [error]: invalid preset 'nosuch'");
    assertThat(x264.level()).isEqualTo(Level.ERROR);
    assertThat(x264.message()).isEqualTo("invalid preset 'nosuch'");
    assertThat(x264.metadata()).containsEntry("component", "x264");
    assertThat(List.of("    raise ValueError(bad)", "  encoder: x", "Duration: 3s"))
        .allSatisfy(line -> assertThat(parse(line).level()).as(line).isEqualTo(Level.WARNING));
  }

  @Test
  void anEncodeAndAFailedOpenAreInfoRecordsAndOneError() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "ffmpeg-5.1.9-level-info.txt", "ffmpeg-replayed");

    // Before, each kept its "[info] " in front, and x264's its "[libx264 @ 0x55ea1261b940] " too.
    assertThat(records).extracting(StoredRecord::message).noneMatch(message -> message.contains("[info]"));
    assertThat(records).filteredOn(record -> !record.level().equals("INFO")).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly(tuple("ERROR", "/srv/app/missing.mp4: No such file or directory"));
    assertThat(records).filteredOn(record -> record.message().equals("using SAR=1/1")).singleElement()
        .satisfies(record -> assertThat(record.metadataJson()).contains("\"component\": \"libx264\""));
    assertThat(records).extracting(StoredRecord::message).contains("ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the "
        + "FFmpeg developers", "Press [q] to stop, [?] for help");
  }
}
