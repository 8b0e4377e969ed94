package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.alert.AlertRule;
import dev.sextant.alert.Channel;
import dev.sextant.model.Json;
import org.junit.jupiter.api.Test;

/** Prices, alert rules and channels read their request bodies with the decoders' field reader. */
class BodyFieldsTest {
  @Test
  void price_namesTheFieldItsTypeAndTheUnit() {
    assertThatThrownBy(() -> PriceService.parse(Json.read("{\"effective_from\":\"2026-01-01\",\"input\":1,\"output\":2}")))
        .hasMessage("model is required");
    assertThatThrownBy(() -> PriceService.parse(Json.read("{\"model\":7}")))
        .hasMessage("model must be a string, got a number");
    assertThatThrownBy(() -> PriceService.parse(
        Json.read("{\"model\":\"m\",\"effective_from\":\"2026-01-01\",\"input\":\"1\",\"output\":2}")))
        .hasMessage("input must be a number, got a string (USD per million tokens)");
    assertThatThrownBy(() -> PriceService.parse(Json.read("{\"model\":\"m\",\"effective_from\":\"2026-01-01\",\"input\":1}")))
        .hasMessage("output is required (USD per million tokens)");
    assertThat(PriceService.parse(Json.read(
        "{\"model\":\"m\",\"effective_from\":\"2026-01-01\",\"input\":1,\"output\":2,\"reasoning\":null}")).reasoning())
        .isNull();
  }

  @Test
  void alertRuleAndChannel_sameMessagesAsEveryOtherBody() {
    assertThatThrownBy(() -> AlertRule.parse("r", Json.read("{\"name\":5,\"kind\":\"budget\"}")))
        .hasMessage("name must be a string, got a number");
    assertThatThrownBy(() -> AlertRule.parse("r", Json.read("{\"name\":\" \",\"kind\":\"budget\"}")))
        .hasMessage("name is required");
    assertThatThrownBy(() -> AlertRule.parse("r",
        Json.read("{\"name\":\"n\",\"kind\":\"budget\",\"period\":\"day\",\"amount_usd\":\"5\"}")))
        .hasMessage("amount_usd must be a number, got a string");
    assertThatThrownBy(() -> Channel.parse("c", Json.read("{\"name\":\"n\",\"type\":\"webhook\",\"url\":[]}")))
        .hasMessage("url must be a string, got an array");
  }
}
