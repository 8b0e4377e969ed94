package dev.sextant.store;

import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import java.util.List;

/** Validated, policy-filtered records of one project, ready to be stored. */
public record WriteBatch(String projectId, List<RunRecord> runs, List<StepRecord> steps) {
  public int size() {
    return runs.size() + steps.size();
  }
}
