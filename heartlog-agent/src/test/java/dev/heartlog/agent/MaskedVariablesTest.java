package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskedVariablesTest {

  private static final Map<String, String> ENVIRONMENT = Map.of(
      "HF_TOKEN", "hf_kXq3vT9mPzL2wQ8rY5nB",
      "GITHUB_TOKEN", "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
      "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE",
      "TOKENIZERS_PARALLELISM", "false");

  @Test
  void aNameIsThatVariableAndAStarStandsForAnyCharacters() {
    assertThat(MaskedVariables.parse("HF_TOKEN").in(ENVIRONMENT)).containsExactly(entry("HF_TOKEN", "hf_kXq3vT9mPzL2wQ8rY5nB"));
    assertThat(MaskedVariables.parse(" *_TOKEN , AWS_SECRET_*,").in(ENVIRONMENT)).containsOnlyKeys(
        "HF_TOKEN", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY");
    assertThat(MaskedVariables.parse("TOKEN").in(ENVIRONMENT)).as("a name is whole, not a part").isEmpty();
    assertThat(MaskedVariables.parse("hf_token").in(ENVIRONMENT)).as("names are matched in their case").isEmpty();
  }

  @Test
  void twoListsMaskTheVariablesEitherNames() {
    MaskedVariables both = MaskedVariables.parse("HF_TOKEN, GITHUB_*").and(MaskedVariables.of(List.of("AWS_SECRET_*")));
    assertThat(both.in(ENVIRONMENT)).containsOnlyKeys("HF_TOKEN", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY");
    assertThat(MaskedVariables.parse("HF_TOKN").and(MaskedVariables.parse("GITHUB_TOKN")).unset(ENVIRONMENT))
        .containsExactly("HF_TOKN", "GITHUB_TOKN");
  }

  @Test
  void aNameThatIsNotSetIsNamedAPatternThatMatchesNothingIsNot() {
    assertThat(MaskedVariables.of(List.of("HF_TOKN", "HF_TOKEN", "*_PASSWORD")).unset(ENVIRONMENT))
        .containsExactly("HF_TOKN");
  }

  @Test
  void whatIsNoVariablesNameIsRefused() {
    assertThatThrownBy(() -> MaskedVariables.parse("HF_TOKEN,$HF_TOKEN")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'$HF_TOKEN' is not the name of a variable (letters, digits and _, with * for any characters: "
            + "HF_TOKEN, *_SECRET_KEY)");
    assertThatThrownBy(() -> MaskedVariables.parse("*")).hasMessageStartingWith("'*' is not the name of a variable");
    assertThat(MaskedVariables.parse(" , ").in(ENVIRONMENT)).isEmpty();
  }
}
