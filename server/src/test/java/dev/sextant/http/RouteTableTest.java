package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteTableTest {
  @Test
  void pathParameters_matchOneNonEmptySegment() {
    assertThat(RouteTable.matches("/v1/runs", "/v1/runs")).isTrue();
    assertThat(RouteTable.matches("/v1/runs", "/v1/runs/")).isFalse();
    assertThat(RouteTable.matches("/v1/runs/{runId}", "/v1/runs/abc")).isTrue();
    assertThat(RouteTable.matches("/v1/runs/{runId}", "/v1/runs/")).isFalse();
    assertThat(RouteTable.matches("/v1/runs/{runId}", "/v1/runs/a/b")).isFalse();
    assertThat(RouteTable.matches("/v1/runs/{runId}/steps/{stepId}", "/v1/runs/a/steps/b")).isTrue();
    assertThat(RouteTable.matches("/v1/runs/{runId}/steps/{stepId}", "/v1/runs/a/stats/b")).isFalse();
  }

  @Test
  void uiPages_areTheRoutesOfTheApp() {
    assertThat(UiService.isPage("/runs")).isTrue();
    assertThat(UiService.isPage("/runs/abc")).isTrue();
    assertThat(UiService.isPage("/runs/")).isFalse();
    assertThat(UiService.isPage("/runs/abc/steps")).isFalse();
    assertThat(UiService.isPage("/otel/v1/traces")).isFalse();
    assertThat(UiService.mayServe("/v1/runs")).isFalse();
    assertThat(UiService.mayServe("/api/v1/runs")).isFalse();
    assertThat(UiService.mayServe("/assets/index.js")).isTrue();
  }
}
