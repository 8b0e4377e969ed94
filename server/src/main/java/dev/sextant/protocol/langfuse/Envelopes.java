package dev.sextant.protocol.langfuse;

import dev.sextant.protocol.RecentIds;
import dev.sextant.protocol.langfuse.LangfuseDecoder.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which envelopes of a Langfuse batch are applied. SDKs resend whole batches on retry, and an old
 * event must not undo a newer one: an envelope id already committed is acknowledged without being
 * applied again, and within one request the first envelope with an id stands for its duplicates.
 * Like {@link RecentIds}, the memory is per process and per project.
 */
public final class Envelopes {
  private static final int REMEMBERED = 200_000;

  private final RecentIds committed = new RecentIds(REMEMBERED);

  /** What becomes of each envelope of one request. */
  public static final class Plan {
    private final List<Event> fresh;
    private final int[] sameAs;
    private final boolean[] replayed;

    private Plan(List<Event> fresh, int[] sameAs, boolean[] replayed) {
      this.fresh = fresh;
      this.sameAs = sameAs;
      this.replayed = replayed;
    }

    /** The envelopes to decode and apply. */
    public List<Event> fresh() {
      return fresh;
    }

    /** The envelope whose outcome envelope {@code index} shares: itself, or the first one with its id. */
    public int representative(int index) {
      return sameAs[index];
    }

    /** Whether envelope {@code index} was committed by an earlier request. */
    public boolean replayed(int index) {
      return replayed[index];
    }
  }

  /** Sorts the envelopes of one request into those to apply, duplicates, and replays. */
  public Plan plan(String project, List<Event> events) {
    int size = events.size();
    int[] sameAs = new int[size];
    boolean[] replayed = new boolean[size];
    Map<String, Integer> firstIndex = new HashMap<>();
    List<Event> fresh = new ArrayList<>();
    for (Event e : events) {
      int i = e.index();
      sameAs[i] = i;
      if (e.id() != null && e.problem() == null) {
        Integer earlier = firstIndex.putIfAbsent(e.id(), i);
        if (earlier != null) {
          sameAs[i] = earlier;
          continue;
        }
        if (committed.contains(project, e.id())) {
          replayed[i] = true;
          continue;
        }
      }
      fresh.add(e);
    }
    return new Plan(fresh, sameAs, replayed);
  }

  /** Remembers that envelope {@code id} of {@code project} is committed, so a resent copy is not applied. */
  public void committed(String project, String id) {
    committed.put(project, id, "");
  }
}
