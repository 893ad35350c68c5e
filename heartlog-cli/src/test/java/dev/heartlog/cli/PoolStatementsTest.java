package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PoolStatementsTest {

  @Test
  void statementsAreNamedOnlyWhereTheServerListensOnThePortConnectedTo() {
    assertThat(PoolStatements.mayBeNamed("jdbc:postgresql://db:5432/app", 5432)).isTrue();
    assertThat(PoolStatements.mayBeNamed("jdbc:postgresql://db/app?user=x", 5432)).as("the default port").isTrue();
    assertThat(PoolStatements.mayBeNamed("jdbc:postgresql://pooler.example.com:6543/postgres", 5432)).isFalse();
    assertThat(PoolStatements.mayBeNamed("jdbc:postgresql://localhost:6432/app", 5432)).as("PgBouncer's port").isFalse();
    assertThat(PoolStatements.mayBeNamed("jdbc:postgresql://localhost:5432/app", null)).as("a Unix socket behind").isFalse();
    assertThat(PoolStatements.mayBeNamed("jdbc:postgresql://a:5432,b:5433/app", 5432)).as("hosts on other ports").isFalse();
    assertThat(PoolStatements.mayBeNamed("jdbc:postgresql://a:5432,b:5432/app", 5432)).isTrue();
  }

  @Test
  void prepareThresholdInTheUrlDecides() {
    assertThat(PoolStatements.mayBeNamed("jdbc:postgresql://db:5432/app?prepareThreshold=0", 5432)).isFalse();
    assertThat(PoolStatements.mayBeNamed("jdbc:postgresql://db:6543/app?prepareThreshold=5", 5432)).isTrue();
    assertThat(PoolStatements.mayBeNamed("jdbc:postgresql://db:5432/app?prepareThreshold=x", 5432)).isFalse();
  }

  @Test
  void aUrlTheDriverCannotReadGetsUnnamedStatements() {
    assertThat(PoolStatements.mayBeNamed("jdbc:mysql://db:3306/app", 3306)).isFalse();
  }
}
