package dev.sextant.model;

/**
 * One rejected item of a batch.
 *
 * @param ref the item as its protocol names it (the {@link Item#ref} of a decoded record, or what
 *     the decoder could not read)
 * @param message what was wrong and how to fix it
 */
public record ItemError<R>(R ref, String message) {}
