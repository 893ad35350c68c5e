package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import org.junit.jupiter.api.Test;

/** How a heartbeat's VRAM figures from other clients are read, and what is kept of those that are not. */
class VramFiguresTest {

  @Test
  void numbersAreReadInEveryFormJsonOrPostgresqlWritesRoundedHalvesAwayFromZero() {
    assertThat(VramFigures.mebibytes("81559")).isEqualTo(81559);
    assertThat(VramFigures.mebibytes("23017.4453125")).isEqualTo(23017);
    assertThat(VramFigures.mebibytes("23017.5")).isEqualTo(23018);
    assertThat(VramFigures.mebibytes("-0.5")).isEqualTo(-1);
    assertThat(VramFigures.mebibytes("8.1559e4")).isEqualTo(81559);
    assertThat(VramFigures.mebibytes("2147483647")).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void whatIsNoNumberOrBeyondAnIntegerIsNoFigure() {
    assertThat(VramFigures.mebibytes("2147483648")).isNull();
    assertThat(VramFigures.mebibytes("85520809984")).isNull();
    assertThat(VramFigures.mebibytes("1e999")).isNull();
    assertThat(VramFigures.mebibytes("NaN")).isNull();
    assertThat(VramFigures.mebibytes("0x10")).isNull();
    assertThat(VramFigures.mebibytes("12d")).as("Java reads it as a double; PostgreSQL does not").isNull();
    assertThat(VramFigures.mebibytes("")).isNull();
    assertThat(VramFigures.mebibytes("[N/A]")).as("nvidia-smi's field it cannot read (MIG), passed on as text").isNull();
  }

  @Test
  void figuresNotReadGoIntoTheMetadataAsSentBesideItsOwnFields() throws Exception {
    VramFigures figures = new VramFigures();
    try (JsonParser parser = new JsonFactory().createParser(
        "{\"vram_total_mb_param\": \"about 80 \\\"GB\\\"\", \"vram_used_mb_param\": {\"gpu0\": 1}}")) {
      parser.nextToken();
      parser.nextToken();
      parser.nextToken();
      assertThat(figures.read(parser, "vram_total_mb_param")).isNull();
      parser.nextToken();
      parser.nextToken();
      assertThat(figures.read(parser, "vram_used_mb_param")).isNull();
    }

    String fields = "\"original_vram_total_mb_param\":\"about 80 \\\"GB\\\"\",\"original_vram_used_mb_param\":\"an object\"";
    assertThat(figures.metadataWith(null)).isEqualTo("{" + fields + "}");
    assertThat(figures.metadataWith(" { } ")).isEqualTo("{" + fields + "}");
    assertThat(figures.metadataWith("{ \"gpus\": [0] }")).isEqualTo("{" + fields + ",\"gpus\": [0] }");
    assertThat(figures.metadataWith("[1]")).as("not an object: left as sent").isEqualTo("[1]");
    assertThat(new VramFigures().metadataWith("{\"a\": 1}")).as("all figures read").isEqualTo("{\"a\": 1}");
  }
}
