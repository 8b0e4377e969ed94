package dev.sextant.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code sextant.*} properties. Each one left unset falls back to the SDK's environment variable
 * ({@code SEXTANT_ENDPOINT}, {@code SEXTANT_API_KEY}, …) and then to the SDK's default; the agent
 * falls back to {@code spring.application.name}.
 *
 * @param enabled false turns the SDK into a no-op (default true)
 * @param endpoint the Sextant server, such as {@code http://localhost:8000}
 * @param apiKey the project's API key
 * @param agent the agent id runs are reported under
 * @param version the agent version
 * @param environment such as {@code production}
 * @param mode {@code async} (default; a background thread sends) or {@code inline} (the thread ending a run sends it)
 * @param captureContent true to send prompts, completions and tool arguments (the project's content policy still applies)
 */
@ConfigurationProperties("sextant")
public record SextantProperties(Boolean enabled, String endpoint, String apiKey, String agent, String version,
    String environment, String mode, Boolean captureContent) {}
