// Drives the real langfuse v3 SDK (legacy batch ingestion) against a Sextant server: a trace with a
// span, a generation with usage, an event, a failing span, a score, a trace update, and one
// generation whose update is sent in an earlier request than its create.
// Env: SEXTANT_URL, SEXTANT_PUBLIC_KEY, SEXTANT_KEY. Prints "RESULT {...}" with the ids.
import { Langfuse } from "langfuse";

const langfuse = new Langfuse({
  publicKey: process.env.SEXTANT_PUBLIC_KEY,
  secretKey: process.env.SEXTANT_KEY,
  baseUrl: process.env.SEXTANT_URL,
  flushAt: 100,
  flushInterval: 60_000,
});
let failed = false;
langfuse.on("error", (e) => {
  failed = true;
  console.error("langfuse error", e);
});

const trace = langfuse.trace({
  name: "agent-run",
  userId: "u1",
  sessionId: "s1",
  input: { q: "hi" },
  tags: ["t1", "team:support"],
  metadata: { agent_name: "support-bot", tier: "gold" },
  version: "v3",
});
trace.score({ name: "quality", value: 0.9, comment: "good answer" });
const span = trace.span({ name: "tool-call", input: { x: 1 } });
const generation = span.generation({
  name: "llm",
  model: "gpt-test",
  modelParameters: { temperature: 0.1 },
  input: [{ role: "user", content: "hi" }],
});
generation.end({ output: { role: "assistant", content: "hello" }, usageDetails: { input: 5, output: 2 } });
span.end({ output: { y: 2 } });
trace.event({ name: "evt", input: "x" });
const failing = trace.span({ name: "flaky-tool" });
failing.end({ level: "ERROR", statusMessage: "TimeoutError: upstream took too long" });
trace.update({ output: { a: "hello" } });
await langfuse.flushAsync();

// The update of a generation reaches the server one request before its create.
const lateId = "late-generation-" + trace.id;
const startTime = new Date();
langfuse._updateGeneration({
  id: lateId,
  traceId: trace.id,
  endTime: new Date(startTime.getTime() + 5),
  output: "later",
  usage: { input: 3, output: 4, unit: "TOKENS" },
});
await langfuse.flushAsync();
trace.generation({ id: lateId, name: "late-llm", model: "gpt-late", startTime });
await langfuse.shutdownAsync();

console.log("RESULT " + JSON.stringify({
  trace: trace.id, span: span.id, generation: generation.id, failing: failing.id, late: lateId, failed,
}));
