package dev.sextant.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {

  @Test
  void jdbcUrl_passesThrough() {
    PostgresUrl u = PostgresUrl.parse("jdbc:postgresql://db:5433/sextant?sslmode=require&user=x");
    assertThat(u).isEqualTo(new PostgresUrl("jdbc:postgresql://db:5433/sextant?sslmode=require&user=x", null, null));
  }

  @Test
  void libpqUri_becomesJdbcWithCredentialsApart() {
    PostgresUrl u = PostgresUrl.parse("postgresql://sextant:s3cr%40t@db.internal:5432/observability?sslmode=verify-full");
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/observability?sslmode=verify-full");
    assertThat(u.user()).isEqualTo("sextant");
    assertThat(u.password()).isEqualTo("s3cr@t");
  }

  @Test
  void postgresScheme_userWithoutPassword_defaultHost() {
    assertThat(PostgresUrl.parse("postgres://me@/db")).isEqualTo(new PostgresUrl("jdbc:postgresql://localhost/db", "me", null));
    assertThat(PostgresUrl.parse("postgresql://h")).isEqualTo(new PostgresUrl("jdbc:postgresql://h/", null, null));
    assertThat(PostgresUrl.parse("postgresql://h?connectTimeout=3").jdbcUrl())
        .isEqualTo("jdbc:postgresql://h/?connectTimeout=3");
  }

  @Test
  void plusInPassword_staysAPlus() {
    assertThat(PostgresUrl.parse("postgresql://u:a+b@h/db").password()).isEqualTo("a+b");
  }

  @Test
  void multipleHostsAndIpv6_passThrough() {
    assertThat(PostgresUrl.parse("postgresql://u:p@h1:5432,h2:5432/db?targetServerType=primary").jdbcUrl())
        .isEqualTo("jdbc:postgresql://h1:5432,h2:5432/db?targetServerType=primary");
    assertThat(PostgresUrl.parse("postgresql://[::1]:5432/db").jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/db");
  }

  @Test
  void otherSchemes_areRejectedWithoutShowingThePassword() {
    assertThatThrownBy(() -> PostgresUrl.parse("mysql://root:hunter2@h/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--postgres-url must start with jdbc:postgresql://, postgresql:// or postgres://,"
            + " got \"mysql://root:***@h/db\"");
    assertThatThrownBy(() -> PostgresUrl.parse(" "))
        .hasMessageStartingWith("--postgres-url is required with --store postgres");
  }

  @Test
  void redact_hidesPasswordsInBothForms() {
    assertThat(PostgresUrl.redact("jdbc:postgresql://h/db?user=u&password=p&ssl=true"))
        .isEqualTo("jdbc:postgresql://h/db?user=u&password=***&ssl=true");
    assertThat(PostgresUrl.redact("postgresql://u:p@h/db")).isEqualTo("postgresql://u:***@h/db");
    assertThat(PostgresUrl.parse("postgresql://u:p@h/db").toString()).doesNotContain(":p@").doesNotContain("=p");
  }
}
