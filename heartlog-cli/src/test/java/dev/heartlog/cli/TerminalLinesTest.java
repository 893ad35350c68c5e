package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TerminalLinesTest {

  private static final long INTERVAL = TimeUnit.SECONDS.toNanos(10);

  private final List<String> lines = new ArrayList<>();
  private long now;
  private final TerminalLines terminal =
      new TerminalLines((text, progress, crlf, heldNanos) -> lines.add((progress ? "progress: " : "") + text + (crlf ? " [crlf]" : "")),
          () -> now, INTERVAL, 20);

  private void print(String text) {
    terminal.accept(text.toCharArray(), 0, text.length());
  }

  @Test
  void linesEndAtNewlinesOfEitherKindAndTheLastOneAtTheEndOfTheStream() {
    print("first\nsecond\r\nthi");
    print("rd\r");
    print("\n\nno end");
    terminal.end();

    assertThat(lines).as("a line that ended with \\r\\n says so")
        .containsExactly("first", "second [crlf]", "third [crlf]", "", "no end");
  }

  @Test
  void bytesAreReadAsUtf8WithACharacterSplitBetweenReadsPutTogether() {
    byte[] printed = "✅ done é\n€\n".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < printed.length; i++) {
      terminal.accept(printed, i, 1);   // a byte a read: every character is split
    }
    terminal.end();

    assertThat(lines).containsExactly("✅ done é", "€");
  }

  @Test
  void bytesThatAreNotUtf8BecomeReplacementCharactersAndNothingElseIsLost() {
    byte[] printed = {'a', (byte) 0xFF, 'b', (byte) 0xE9, ' ', 'c', '\n', 'd', (byte) 0xE2, (byte) 0x82};
    terminal.accept(printed, 0, 8);
    terminal.accept(printed, 8, 2);   // the stream ends inside a character
    terminal.end();

    assertThat(lines).containsExactly("a\uFFFDb\uFFFD c", "d\uFFFD");
  }

  @Test
  void aProgressBarRedrawnHundredsOfTimesGivesItsFirstStateOnePerIntervalAndItsLast() {
    for (int i = 1; i <= 300; i++) {
      print("\r" + i + "/300");   // as tqdm draws: a carriage return, then the state
      now += TimeUnit.MILLISECONDS.toNanos(100);
    }
    print("\n");
    print("after the bar\n");

    // Redraws are seen when the next one starts: 1/300 at 0.1 s, then the first after 10.1 s, ...
    assertThat(lines).containsExactly(
        "progress: 1/300", "progress: 101/300", "progress: 201/300", "progress: 300/300", "after the bar");
  }

  @Test
  void aCounterEndingEachStateWithACarriageReturnEndsInItsLastState() {
    // As ffmpeg draws: the state, then a carriage return; the stream ends without a newline.
    print("frame=  1 fps=0.0\r");
    now += TimeUnit.SECONDS.toNanos(1);
    print("frame=  2 fps=2.0\r");
    now += TimeUnit.SECONDS.toNanos(1);
    print("frame=  3 fps=3.0\r");
    terminal.end();

    assertThat(lines).containsExactly("progress: frame=  1 fps=0.0", "progress: frame=  3 fps=3.0");
  }

  @Test
  void aStateAlreadyPassedOnIsNotPassedOnAgainWhenTheLineEnds() {
    print("loading\r");
    print("\r\n");

    assertThat(lines).containsExactly("progress: loading");
  }

  @Test
  void wgetsDotsAProgressDrawnOneStateALineGiveTheirFirstStateOnePerIntervalAndTheirLast() {
    TerminalLines wide = new TerminalLines((text, progress, crlf, heldNanos) -> lines.add((progress ? "progress: " : "") + text),
        () -> now, INTERVAL, 200);
    String dots = " .......... .......... .......... .......... ..........";
    String printed = "Saving to: 'model.bin'\n\n";
    for (int kib = 0; kib < 15_000; kib += 50) {   // as wget 1.21 prints in a pipe, a line for each 50 KiB
      printed += String.format("%7dK", kib) + dots + String.format(" %3d%%  100M 0s%n", kib / 150);
    }
    printed += "  15000K ..........                                           100%  120M=0.2s\n\nsaved [15360000/15360000]\n";
    for (String line : printed.split("(?<=\n)")) {
      wide.accept(line.toCharArray(), 0, line.length());
      now += TimeUnit.MILLISECONDS.toNanos(100);
    }
    wide.accept("     0K .......... ..".toCharArray(), 0, 21);   // a second download, cut short by the stream's end
    wide.end();

    assertThat(lines).containsExactly(
        "Saving to: 'model.bin'", "",
        "progress:       0K" + dots + "   0%  100M 0s",
        "progress:    5000K" + dots + "  33%  100M 0s",   // 10 s later
        "progress:   10000K" + dots + "  66%  100M 0s",
        "progress:   15000K ..........                                           100%  120M=0.2s",
        "", "saved [15360000/15360000]",
        "progress:      0K .......... ..");
  }

  @Test
  void blendersStatusIsADisplayForEachFrameWithItsFirstStateOneAnIntervalAndItsLast() {
    TerminalLines wide = new TerminalLines((text, progress, crlf, heldNanos) -> lines.add((progress ? "progress: " : "") + text
        + (heldNanos > 0 ? " [printed " + TimeUnit.NANOSECONDS.toSeconds(heldNanos) + " s before]" : "")),
        () -> now, INTERVAL, 200);
    String status = "Fra:%d Mem:10.37M (Peak 10.47M) | Time:00:%02d.00 | Scene, ViewLayer | Sample %d/64%n";
    for (int frame = 1; frame <= 2; frame++) {
      for (int sample = 0; sample <= 64; sample += 4) {   // a sample drawn each second, 16 s a frame
        String line = String.format(status, frame, sample / 4, sample);
        wide.accept(line.toCharArray(), 0, line.length());
        now += TimeUnit.SECONDS.toNanos(1);
      }
    }
    wide.end();

    assertThat(lines).containsExactly(
        "progress: Fra:1 Mem:10.37M (Peak 10.47M) | Time:00:00.00 | Scene, ViewLayer | Sample 0/64",
        "progress: Fra:1 Mem:10.37M (Peak 10.47M) | Time:00:10.00 | Scene, ViewLayer | Sample 40/64",
        // passed on when the next frame began, with the time it was printed
        "progress: Fra:1 Mem:10.37M (Peak 10.47M) | Time:00:16.00 | Scene, ViewLayer | Sample 64/64 [printed 1 s before]",
        // the next frame's first state at once, though the interval since the last is not up
        "progress: Fra:2 Mem:10.37M (Peak 10.47M) | Time:00:00.00 | Scene, ViewLayer | Sample 0/64",
        "progress: Fra:2 Mem:10.37M (Peak 10.47M) | Time:00:10.00 | Scene, ViewLayer | Sample 40/64",
        "progress: Fra:2 Mem:10.37M (Peak 10.47M) | Time:00:16.00 | Scene, ViewLayer | Sample 64/64 [printed 1 s before]");
  }

  @Test
  void aLineLongerThanTheLimitKeepsItsStartAndSaysHowMuchItLost() {
    print("x".repeat(25) + "\n" + "y".repeat(20) + "\n");

    assertThat(lines).containsExactly("x".repeat(20) + " … [heartlog run truncated 5 characters]", "y".repeat(20));
  }
}
