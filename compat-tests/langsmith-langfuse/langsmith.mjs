// Drives the real langsmith SDK against a Sextant server: nested traceable functions (an LLM
// child with usage, a tool child that throws, a root that ends later than its create was sent).
// Env: SEXTANT_URL, SEXTANT_KEY, SEXTANT_PROJECT, SEXTANT_MODE = multipart | batch | single.
// Prints one line "RESULT {...}" with the run ids for the test to read back.
import { Client } from "langsmith";
import { traceable, getCurrentRunTree } from "langsmith/traceable";

const mode = process.env.SEXTANT_MODE ?? "multipart";
const project = process.env.SEXTANT_PROJECT ?? "compat-agent";
const client = new Client({
  apiUrl: process.env.SEXTANT_URL,
  apiKey: process.env.SEXTANT_KEY,
  autoBatchTracing: mode !== "single",
});
const common = { client, project_name: project, tracingEnabled: true };
const ids = {};

const chatModel = traceable(
  async (messages) => {
    ids.llm = getCurrentRunTree().id;
    return {
      choices: [{ message: { role: "assistant", content: "hi" } }],
      usage_metadata: { input_tokens: 5, output_tokens: 2, total_tokens: 7 },
    };
  },
  { ...common, name: "ChatModel", run_type: "llm", metadata: { ls_model_name: "gpt-test", ls_provider: "openai" } },
);

const badTool = traceable(
  async (x) => {
    ids.tool = getCurrentRunTree().id;
    throw new Error("boom");
  },
  { ...common, name: "bad_tool", run_type: "tool" },
);

const reader = traceable(
  async (attachments, inputs) => "read",
  {
    ...common,
    name: "reader",
    run_type: "retriever",
    extractAttachments: (attachments, inputs) => [attachments, inputs],
  },
);

const agent = traceable(
  async (question) => {
    ids.agent = getCurrentRunTree().id;
    await chatModel([{ role: "user", content: question }]);
    try {
      await badTool(1);
    } catch {
      // the agent recovers from its tool's failure
    }
    await reader({ notes: ["text/plain", new TextEncoder().encode("some notes")] }, { q: question });
    return { answer: "hi" };
  },
  { ...common, name: "agent", run_type: "chain", tags: ["team:search", "t1"], metadata: { user: "u1", agent_version: "v2" } },
);

const slowAgent = traceable(
  async (question) => {
    ids.slow = getCurrentRunTree().id;
    // Send what is queued now, so the root's create travels without its end.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await client.flush();
    await new Promise((resolve) => setTimeout(resolve, 300));
    throw new TypeError("bad input");
  },
  { ...common, name: "slow_agent", run_type: "chain" },
);

await agent("hello");
try {
  await slowAgent("hello");
} catch {
  // expected: the root run fails
}
if (mode === "multipart") {
  await client.createFeedback(ids.agent, "quality", { score: 0.9, traceId: ids.agent, comment: "good" });
}
await client.awaitPendingTraceBatches();
console.log("RESULT " + JSON.stringify(ids));
