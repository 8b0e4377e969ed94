// Exports one agent run through a real OpenTelemetry JS exporter, then prints its trace id.
// Usage: node otlp.js http-json|http-proto|grpc
// Env: SEXTANT_OTLP_URL (the /v1/traces URL for HTTP, http://host:port for gRPC), SEXTANT_API_KEY.
'use strict';
const { trace, context, SpanKind, SpanStatusCode, ROOT_CONTEXT } = require('@opentelemetry/api');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const mode = process.argv[2];
const url = process.env.SEXTANT_OTLP_URL;
const key = process.env.SEXTANT_API_KEY;
// generous: a busy CI machine can take a while to answer the first export
const TIMEOUT_MS = 60000;

function exporter() {
  if (mode === 'http-json') {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter({ url, headers: { Authorization: `Bearer ${key}` }, timeoutMillis: TIMEOUT_MS });
  }
  if (mode === 'http-proto') {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
    return new OTLPTraceExporter({ url, headers: { 'x-api-key': key }, compression: 'gzip', timeoutMillis: TIMEOUT_MS });
  }
  if (mode === 'grpc') {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-grpc');
    const { Metadata } = require('@grpc/grpc-js');
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${key}`);
    return new OTLPTraceExporter({ url, metadata, compression: 'gzip', timeoutMillis: TIMEOUT_MS });
  }
  throw new Error(`unknown mode ${mode}`);
}

async function main() {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': `node-agent-${mode}`,
      'service.version': '3.1.0',
      'deployment.environment.name': 'ci',
    }),
    spanProcessors: [new BatchSpanProcessor(exporter())],
  });
  const tracer = provider.getTracer('sextant-compat', '1.0.0');

  const root = tracer.startSpan('invoke_agent planner', {
    kind: SpanKind.INTERNAL,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner', 'session.id': 'conv-7' },
  }, ROOT_CONTEXT);
  const inRoot = trace.setSpan(ROOT_CONTEXT, root);

  // OpenTelemetry GenAI, with the deprecated names some libraries still send
  const chat = tracer.startSpan('chat gpt-4o', {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.prompt_tokens': 50,
      'gen_ai.usage.completion_tokens': 12,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'plan my trip' }] }]),
    },
  }, inRoot);
  chat.addEvent('gen_ai.client.inference.operation.details', {
    'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'ok' }] }]),
  });
  chat.end();

  // OpenInference
  const oi = tracer.startSpan('ChatAnthropic', {
    attributes: {
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'claude-sonnet',
      'llm.provider': 'anthropic',
      'llm.token_count.prompt': 80,
      'llm.token_count.completion': 20,
      'input.value': 'summarise',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'summarise',
    },
  }, inRoot);
  oi.end();

  // Traceloop / OpenLLMetry
  const task = tracer.startSpan('search_flights.tool', {
    attributes: {
      'traceloop.span.kind': 'tool',
      'traceloop.entity.name': 'search_flights',
      'traceloop.entity.input': JSON.stringify({ from: 'BER', to: 'LIS' }),
    },
  }, inRoot);

  // a failing step inside the tool
  const failing = tracer.startSpan('execute_tool book_flight', {
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'book_flight' },
  }, trace.setSpan(ROOT_CONTEXT, task));
  failing.recordException(new Error('seat map timeout'));
  failing.setAttribute('error.type', 'TimeoutError');
  failing.setStatus({ code: SpanStatusCode.ERROR, message: 'seat map timeout' });
  failing.end();
  task.end();

  root.setStatus({ code: SpanStatusCode.ERROR, message: 'booking failed' });
  root.end();

  await provider.forceFlush();
  await provider.shutdown();
  process.stdout.write(JSON.stringify({ traceId: root.spanContext().traceId }) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
