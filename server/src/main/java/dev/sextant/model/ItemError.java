package dev.sextant.model;

/**
 * One rejected item of a request, named by its protocol's reference for it.
 *
 * @param message what was wrong and how to fix it
 */
public record ItemError<R>(R ref, String message) {}
