package dev.sextant.examples.springai;

import dev.sextant.spring.AgentRun;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.vectorstore.QuestionAnswerAdvisor;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.stereotype.Service;

/** Answers support tickets. */
@Service
public class Desk {

  private final ChatClient chat;
  private final InvoiceTools invoices;
  private final VectorStore knowledgeBase;
  private final Triage triage;

  public Desk(ChatClient chat, InvoiceTools invoices, VectorStore knowledgeBase, Triage triage) {
    this.chat = chat;
    this.invoices = invoices;
    this.knowledgeBase = knowledgeBase;
    this.triage = triage;
  }

  /** One ticket, one run. */
  @AgentRun("handle_ticket")
  public String handleTicket(String question) {
    String category = triage.classify(question);
    return chat.prompt().system("You answer " + category + " questions.").user(question).tools(invoices)
        .advisors(QuestionAnswerAdvisor.builder(knowledgeBase).build()).call().content();
  }
}
