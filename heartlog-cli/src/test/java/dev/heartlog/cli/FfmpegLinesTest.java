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
 * encoding three seconds of a test pattern with libx264, then failing to open a missing file.
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
    assertThat(List.of("[libx264 @ 0x55ea1261b940] using SAR=1/1", "[step 3] [info] x", "[notice] x"))
        .as("ffmpeg's default lines, which name no level, and others'")
        .allSatisfy(line -> assertThat(parse(line).message()).as(line).isEqualTo(line));
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
