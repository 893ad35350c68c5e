package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ComponentLevelsTest {

  @Test
  void aComponentKeepsItsLevelAndAboveAndTheRestTakeTheDefault() {
    ComponentLevels levels = ComponentLevels.parse("GENERATOR=DEBUG, WARNING, queue=ERROR");

    assertThat(levels.keeps(Level.DEBUG, "GENERATOR", false)).isTrue();
    assertThat(levels.keeps(Level.WARNING, "QUEUE", false)).as("names match in any case").isFalse();
    assertThat(levels.keeps(Level.ERROR, "QUEUE", false)).isTrue();
    assertThat(levels.keeps(Level.INFO, "WORKER", false)).isFalse();
    assertThat(levels.keeps(Level.WARNING, "WORKER", false)).isTrue();
    assertThat(levels.keeps(Level.INFO, null, false)).as("a record naming no component").isFalse();
    assertThat(levels).hasToString("WARNING,GENERATOR=DEBUG,queue=ERROR");
  }

  @Test
  void withoutADefaultLevelTheAgentsOwnHoldsInfoOrDebugInDebugMode() {
    ComponentLevels levels = ComponentLevels.parse("HEARTBEAT=WARNING");

    assertThat(levels.keeps(Level.INFO, "GENERATOR", false)).isTrue();
    assertThat(levels.keeps(Level.DEBUG, "GENERATOR", false)).isFalse();
    assertThat(levels.keeps(Level.DEBUG, "GENERATOR", true)).isTrue();
    assertThat(levels.keeps(Level.INFO, "HEARTBEAT", true)).as("a rule holds in debug mode too").isFalse();
    assertThat(ComponentLevels.parse("ERROR").keeps(Level.WARNING, null, true)).as("so does a default").isFalse();
  }

  @Test
  void aNameCoversTheLoggersBelowItAndTheLongestNameDecides() {
    ComponentLevels levels = ComponentLevels.parse("com.example=WARNING,com.example.render=DEBUG");

    assertThat(levels.keeps(Level.INFO, "com.example.queue.Poller", false)).isFalse();
    assertThat(levels.keeps(Level.DEBUG, "com.example.render.Frames", false)).isTrue();
    assertThat(levels.keeps(Level.DEBUG, "com.example.render", false)).isTrue();
    assertThat(levels.keeps(Level.INFO, "com.examples.Other", false)).as("not a logger below com.example").isTrue();
    assertThat(levels.keeps(Level.INFO, "com", false)).isTrue();
  }

  @Test
  void offKeepsNothingAndOtherVocabulariesLevelNamesAreRead() {
    ComponentLevels levels = ComponentLevels.parse("io.netty=OFF,jul=severe,slf4j=warn,trace=TRACE");

    assertThat(levels.keeps(Level.CRITICAL, "io.netty.Channel", false)).isFalse();
    assertThat(levels.keeps(Level.WARNING, "jul", false)).isFalse();
    assertThat(levels.keeps(Level.ERROR, "jul", false)).isTrue();
    assertThat(levels.keeps(Level.WARNING, "slf4j", false)).isTrue();
    assertThat(levels.keeps(Level.DEBUG, "trace", false)).isTrue();
    assertThat(levels).hasToString("io.netty=OFF,jul=ERROR,slf4j=WARNING,trace=DEBUG");
  }

  @Test
  void aListThatCannotBeReadSaysWhichEntryAndWhy() {
    assertThatThrownBy(() -> ComponentLevels.parse("GENERATOR=LOUD"))
        .hasMessage("levels: 'GENERATOR=LOUD': 'LOUD' is not a level; use DEBUG, INFO, WARNING, ERROR, CRITICAL or OFF");
    assertThatThrownBy(() -> ComponentLevels.parse("=DEBUG")).hasMessage("levels: '=DEBUG' names no component (write name=LEVEL)");
    assertThatThrownBy(() -> ComponentLevels.parse("WARNING,ERROR"))
        .hasMessage("levels: two default levels ('WARNING' and 'ERROR'); give one, and name=LEVEL for a component");
    assertThatThrownBy(() -> ComponentLevels.parse("gen=DEBUG,GEN=INFO")).hasMessage("levels: component 'GEN' is given twice");
    assertThatThrownBy(() -> ComponentLevels.parse("verbose")).hasMessageContaining("'verbose' is not a level");
  }

  @Test
  void blankIsNoRules() {
    assertThat(ComponentLevels.parse(" , ")).isSameAs(ComponentLevels.NONE);
    assertThat(ComponentLevels.parse(null).isEmpty()).isTrue();
    assertThat(ComponentLevels.NONE.keeps(Level.DEBUG, "x", false)).isFalse();
    assertThat(ComponentLevels.NONE.keeps(Level.DEBUG, "x", true)).isTrue();
  }
}
