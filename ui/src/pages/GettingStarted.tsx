import { useState } from 'react';

function Snippet({ title, text }: { title: string; text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <section className="snippet">
      <div className="snippet-head">
        <h3>{title}</h3>
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(text).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre>
        <code>{text}</code>
      </pre>
    </section>
  );
}

/** How to send a first run: shown on an empty project and at /start. */
export function GettingStarted({ project, empty = false }: { project: string; empty?: boolean }) {
  const origin = window.location.origin;
  const host = window.location.hostname || '127.0.0.1';
  const otlpStandard = `${window.location.protocol}//${host}:4318`;
  return (
    <div className="getting-started">
      {empty ? (
        <div className="empty-hero">
          <h2>No runs in project “{project}” yet</h2>
          <p>Send your first agent run with any of the ways below; it shows up here within a second.</p>
        </div>
      ) : (
        <h2>Getting started</h2>
      )}
      <p className="muted">
        Every way needs an API key of this project with the <code>ingest</code> scope. The key decides the project, so runs sent with a key of
        project <code>{project}</code> land here.
      </p>
      <div className="snippets">
        <Snippet
          title="Try it: generated demo data"
          text={`./sextant demo
# serves on http://127.0.0.1:8000 and fills project "default"
# with generated agent runs`}
        />
        <Snippet
          title="Java SDK"
          text={`Sextant sextant = Sextant.builder()
    .agent("support-agent").agentVersion("v1.0.0")
    .environment("production")
    .endpoint("${origin}")
    .apiKey(System.getenv("SEXTANT_API_KEY"))
    .build();

try (Run run = sextant.startRun("handle_ticket")) {
    try (Step step = run.step("plan", "analyze_query")) { /* … */ }
    try (Step step = run.step("tool", "billing_api")) {
        step.metadata("http_status", 504);
    }
    run.recordFailure("tool", "timeout", "API timeout after 30s");
}
sextant.close();`}
        />
        <Snippet
          title="OpenTelemetry (OTLP/HTTP)"
          text={`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=${origin}/v1/traces
# or the standard OTLP/HTTP port:
#   OTEL_EXPORTER_OTLP_ENDPOINT=${otlpStandard}
# or OTLP/gRPC: ${host}:4317
OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<secret>
# service.name becomes the agent id
OTEL_SERVICE_NAME=support-agent
OTEL_RESOURCE_ATTRIBUTES=service.version=v1.0.0,deployment.environment.name=production`}
        />
        <Snippet
          title="LangSmith SDKs"
          text={`LANGSMITH_TRACING=true
LANGSMITH_ENDPOINT=${origin}
LANGSMITH_API_KEY=<secret>
# the LangSmith project becomes the agent id
LANGSMITH_PROJECT=support-agent`}
        />
        <Snippet
          title="Langfuse SDKs"
          text={`# Python: LANGFUSE_HOST; JS v3: LANGFUSE_BASEURL
LANGFUSE_BASE_URL=${origin}
LANGFUSE_PUBLIC_KEY=<public id, pk-…>
LANGFUSE_SECRET_KEY=<secret>`}
        />
        <Snippet
          title="curl"
          text={`curl -s ${origin}/v1/ingest \\
  -H "Authorization: Bearer <secret>" -H "Content-Type: application/json" \\
  -d '{"runs":[{"run_id":"run-1","agent_id":"support-agent","agent_version":"v1.0.0",
        "name":"handle_ticket","start_time":"2026-01-01T10:00:00Z",
        "end_time":"2026-01-01T10:00:02Z","status":"success"}],
       "steps":[{"run_id":"run-1","step_id":"s1","seq":1,"type":"llm","name":"answer",
        "start_time":"2026-01-01T10:00:00Z","end_time":"2026-01-01T10:00:02Z","status":"ok"}]}'`}
        />
      </div>
    </div>
  );
}
