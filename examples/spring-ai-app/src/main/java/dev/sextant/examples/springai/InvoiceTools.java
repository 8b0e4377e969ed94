package dev.sextant.examples.springai;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.stereotype.Component;

/** The invoice backend; its first call fails, as flaky backends do. */
@Component
public class InvoiceTools {

  private final AtomicInteger calls = new AtomicInteger();

  @Tool(description = "Looks up an invoice by id")
  public String lookupInvoice(@ToolParam(description = "the invoice id") String invoiceId) {
    if (calls.incrementAndGet() == 1) {
      throw new IllegalStateException("billing backend unavailable");
    }
    return "invoice " + invoiceId + ": two charges of 30 EUR on 2026-11-01";
  }
}
