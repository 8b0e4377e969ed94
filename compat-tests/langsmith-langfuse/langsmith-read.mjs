// Drives the real langsmith SDK's read calls against a Sextant server after tracing with it:
// readRun, listRuns (by project and by trace), createFeedback (direct and batched with the trace),
// listFeedback and readFeedback. Env: SEXTANT_URL, SEXTANT_KEY, SEXTANT_PROJECT.
// Prints one line "RESULT {...}" with what the SDK read back, for the test to check.
import { Client } from "langsmith";
import { traceable, getCurrentRunTree } from "langsmith/traceable";

const project = process.env.SEXTANT_PROJECT ?? "read-agent";
const client = new Client({ apiUrl: process.env.SEXTANT_URL, apiKey: process.env.SEXTANT_KEY });
const common = { client, project_name: project, tracingEnabled: true };
const ids = {};

const lookup = traceable(
  async (q) => {
    ids.tool = getCurrentRunTree().id;
    return { hits: 2 };
  },
  { ...common, name: "lookup", run_type: "tool" },
);
const agent = traceable(
  async (question) => {
    ids.root = getCurrentRunTree().id;
    await lookup(question);
    return { answer: "42" };
  },
  { ...common, name: "answer_question", run_type: "chain" },
);

await agent("what is six times seven?");
await client.awaitPendingTraceBatches();

const read = (run) => ({ id: run.id, name: run.name, run_type: run.run_type, status: run.status,
  trace_id: run.trace_id, parent_run_id: run.parent_run_id ?? null, inputs: run.inputs, outputs: run.outputs,
  start_time: run.start_time, end_time: run.end_time, feedback_stats: run.feedback_stats ?? null });

const out = { ids };
out.readRun = read(await client.readRun(ids.root));
out.byProject = [];
for await (const run of client.listRuns({ projectName: project })) out.byProject.push(read(run));
out.byTrace = [];
for await (const run of client.listRuns({ traceId: ids.root })) out.byTrace.push(read(run));

// directly: POST /feedback (no trace id)
const direct = await client.createFeedback(ids.root, "correctness", { score: 0.8, comment: "right answer" });
// batched with the trace: a feedback part of POST /runs/multipart
const batched = await client.createFeedback(ids.tool, "helpful", { score: true, traceId: ids.root });
await client.awaitPendingTraceBatches();
out.feedbackIds = { direct: direct.id, batched: batched.id };
out.feedbackOfRoot = [];
for await (const f of client.listFeedback({ runIds: [ids.root] })) out.feedbackOfRoot.push(f);
out.feedbackHelpful = [];
for await (const f of client.listFeedback({ feedbackKeys: ["helpful"] })) out.feedbackHelpful.push(f);
out.readFeedback = await client.readFeedback(direct.id);
out.rootAfterFeedback = read(await client.readRun(ids.root));
console.log("RESULT " + JSON.stringify(out));
