// Traces an agent with a tool and a generation through @langfuse/tracing and @langfuse/otel,
// exporting to a Sextant server's Langfuse OTel endpoint, then prints the trace id.
// Env: LANGFUSE_BASE_URL, LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY.
'use strict';
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { LangfuseSpanProcessor } = require('@langfuse/otel');
const { setLangfuseTracerProvider, startObservation } = require('@langfuse/tracing');

async function main() {
  const processor = new LangfuseSpanProcessor({
    publicKey: process.env.LANGFUSE_PUBLIC_KEY,
    secretKey: process.env.LANGFUSE_SECRET_KEY,
    baseUrl: process.env.LANGFUSE_BASE_URL,
    environment: 'langfuse-ci',
    exportMode: 'immediate',
    timeout: 60, // seconds: a busy CI machine can take a while to answer the first request
  });
  const provider = new NodeTracerProvider({ spanProcessors: [processor] });
  setLangfuseTracerProvider(provider);

  const agent = startObservation('support-agent', { input: { question: 'where is my parcel?' } }, { asType: 'agent' });
  const tool = agent.startObservation('track_parcel', { input: { id: 'P-1' } }, { asType: 'tool' });
  tool.update({ output: { status: 'in transit' } });
  tool.end();
  const generation = agent.startObservation('answer', {
    model: 'gpt-4o-mini',
    input: [{ role: 'user', content: 'where is my parcel?' }],
  }, { asType: 'generation' });
  generation.update({
    output: { role: 'assistant', content: 'It is in transit.' },
    usageDetails: { input: 42, output: 9 },
    costDetails: { total: 0.0012 },
  });
  generation.end();
  agent.update({ output: { answer: 'It is in transit.' } });
  agent.end();

  await processor.forceFlush();
  await provider.shutdown();
  process.stdout.write(JSON.stringify({ traceId: agent.traceId }) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
