package dev.sextant.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A timestamped point inside a step: a stream chunk, an exception, a tool-call marker. */
public record StepEvent(String name, long timeNanos, ObjectNode attributes) {}
