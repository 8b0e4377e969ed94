package dev.sextant.fuzz;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one fuzzer class in this JVM (Jazzer fuzzes one test per JVM) and prints one result line:
 * {@code fuzzer=… inputs=… seconds=… heap_mb=… failures=…}. Fuzzing needs {@code JAZZER_FUZZ=1} in
 * the environment and {@code -Djazzer.max_executions=N}; without them the class's seed inputs run once.
 * Exits 0 when the fuzzer ran and found nothing.
 */
public final class FuzzMain {
  public static void main(String[] args) throws Exception {
    Class<?> fuzzer = Class.forName(args[0]);
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fuzzer)).build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    long t0 = System.nanoTime();
    LauncherFactory.create().execute(request, listener);
    double seconds = (System.nanoTime() - t0) / 1e9;
    TestExecutionSummary summary = listener.getSummary();
    summary.printFailuresTo(new PrintWriter(System.out, true), 30);
    long heap = FuzzTarget.heapAfterGcMb();
    System.out.printf("fuzzer=%s inputs=%d seconds=%.1f heap_mb=%d failures=%d%n", fuzzer.getSimpleName(),
        FuzzTarget.requests(), seconds, heap, summary.getTotalFailureCount());
    System.exit(summary.getTotalFailureCount() == 0 && summary.getTestsSucceededCount() > 0 ? 0 : 1);
  }
}
