package dev.sextant.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Json;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private final Redactor r = new Redactor();

  @Test
  void text_replacesPersonalDataAndSecrets() {
    assertThat(r.redactText("write to jane.doe+x@example.co.uk now")).isEqualTo("write to [email] now");
    assertThat(r.redactText("card 4111-1111-1111-1111 ok")).isEqualTo("card [card] ok");
    assertThat(r.redactText("call +1 (415) 555-0100")).isEqualTo("call [phone]");
    assertThat(r.redactText("from 10.0.0.12")).isEqualTo("from [ip]");
    assertThat(r.redactText("key sk-proj-abcdefghijklmnop1234")).isEqualTo("key [secret]");
    assertThat(r.redactText("Authorization: Bearer abcdef123456789xyz")).isEqualTo("Authorization: [secret]");
    assertThat(r.redactText("AKIAABCDEFGHIJKLMNOP")).isEqualTo("[secret]");
    assertThat(r.redactText("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N"))
        .isEqualTo("[jwt]");
    assertThat(r.redactText("order 12345 shipped in 3 days")).isEqualTo("order 12345 shipped in 3 days");
  }

  @Test
  void json_redactsNestedStringsAndSecretKeys() {
    var in = Json.read("{\"messages\":[{\"content\":\"I am bob@example.com\"}],\"password\":\"hunter2\","
        + "\"token_count\":12,\"auth\":{\"api_key\":\"abc\"}}");
    assertThat(r.redact(in)).isEqualTo(Json.read("{\"messages\":[{\"content\":\"I am [email]\"}],"
        + "\"password\":\"[secret]\",\"token_count\":12,\"auth\":{\"api_key\":\"[secret]\"}}"));
  }

  @Test
  void metadataOnly_keepsSafeValuesOnly() {
    var in = (com.fasterxml.jackson.databind.node.ObjectNode) Json.read("{\"http_status\":504,\"ok\":true,"
        + "\"tool\":\"billing_api\",\"model\":\"gpt-4o-2024-08-06\",\"text\":\"two words\",\"email\":\"a@b.co\","
        + "\"long\":\"" + "x".repeat(65) + "\",\"list\":[\"a\",\"b c\",3,{\"x\":1}],\"obj\":{\"n\":1,\"s\":\"x y\"}}");
    assertThat(ContentFilter.safeObject(in, 0)).isEqualTo(Json.read("{\"http_status\":504,\"ok\":true,"
        + "\"tool\":\"billing_api\",\"model\":\"gpt-4o-2024-08-06\",\"email\":\"a@b.co\",\"list\":[\"a\",3],\"obj\":{\"n\":1}}"));
  }
}
