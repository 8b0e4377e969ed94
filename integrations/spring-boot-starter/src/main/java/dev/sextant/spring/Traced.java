package dev.sextant.spring;

import dev.sextant.integrations.ModelFailure;
import dev.sextant.sdk.Run;
import dev.sextant.sdk.Step;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one Spring AI observation became: a step, a run of its own (a chat client call outside any
 * run), or a step in a run of its own (a chat model call outside any run). Stored in the
 * observation's context, so children find it on any thread through their parent observation.
 */
final class Traced {

  final Step step;
  final Run ownRun;
  /** The outermost traced observation of this chain; it keeps what spans the whole call. */
  final Traced root;
  /** Set when the tool this observation stands for threw; the observation itself sees no error. */
  volatile boolean failed;
  /** For a root: the first step that failed below it, which a failure of the root points at. */
  private volatile Step firstFailed;
  /** For a root: the last failed attempt of each tool, so the next call of it is its retry. */
  private Map<String, Step> failedTools;
  /** For a root: traced observations below it that have not stopped yet. */
  private int openChildren;
  /** For a root: its own observation stopped, and it ends when the last child has. */
  private boolean stopped;
  private boolean ended;

  Traced(Step step, Run ownRun, Traced parent) {
    this.step = step;
    this.ownRun = ownRun;
    this.root = parent == null ? this : parent.root;
    if (parent != null) {
      root.childStarted();
    }
  }

  Step child(String type, String name) {
    return step != null ? step.child(type, name) : ownRun.step(type, name);
  }

  /**
   * Records a classified error on the step, and as the run's failure if this is a run of its own.
   * The first step of the chain to fail is also given the exception itself, so that a run of the
   * application that ends with it ({@code Run.fail}) points at that step and takes its type and code.
   */
  void error(ModelFailure error, Throwable cause) {
    if (step != null) {
      boolean first = root.noteFailed(step);
      if (first || error == null) {
        step.fail(cause);
      }
      if (error != null) {
        step.error(error.type(), error.code(), error.message());
      }
    }
    if (ownRun != null) {
      Step failedFirst = root.firstFailed;
      if (error == null) {
        ownRun.fail(cause);
      } else if (failedFirst != null) {
        ownRun.recordFailure(error.type(), error.code(), error.message(), failedFirst);
      } else {
        ownRun.recordFailure(error.type(), error.code(), error.message());
      }
    }
  }

  /** Notes a failed step below this root; true if it is the first. */
  private synchronized boolean noteFailed(Step failedStep) {
    if (firstFailed != null) {
      return false;
    }
    firstFailed = failedStep;
    return true;
  }

  synchronized Step failedAttempt(String tool) {
    return failedTools == null ? null : failedTools.get(tool);
  }

  synchronized void toolEnded(String tool, Step attempt, boolean toolFailed) {
    if (toolFailed) {
      if (failedTools == null) {
        failedTools = new ConcurrentHashMap<>();
      }
      failedTools.put(tool, attempt);
    } else if (failedTools != null) {
      failedTools.remove(tool);
    }
  }

  /**
   * Ends what the observation stands for. A root (the outermost traced observation) ends only once
   * every traced observation below it has: a streamed chat client call's observation can stop on the
   * thread that completes the stream before its advisors' and model's observations do, and a run
   * must not end before its steps.
   */
  void end() {
    if (root != this) {
      step.close();
      root.childEnded();
      return;
    }
    boolean now;
    synchronized (this) {
      stopped = true;
      now = openChildren == 0 && !ended;
      ended |= now;
    }
    if (now) {
      close();
    }
  }

  private synchronized void childStarted() {
    openChildren++;
  }

  private void childEnded() {
    boolean now;
    synchronized (this) {
      openChildren--;
      now = stopped && openChildren == 0 && !ended;
      ended |= now;
    }
    if (now) {
      close();
    }
  }

  private void close() {
    if (step != null) {
      step.close();
    }
    if (ownRun != null) {
      ownRun.close();
    }
  }
}
