package dev.sextant.examples.springai;

import dev.sextant.spring.Step;
import org.springframework.stereotype.Component;

/** Ticket triage; a bean of its own, since Spring AOP traces calls that come through a bean's proxy. */
@Component
public class Triage {

  @Step(type = "plan", name = "classify_ticket")
  public String classify(String question) {
    return question.toLowerCase().contains("charged") ? "billing" : "general";
  }
}
