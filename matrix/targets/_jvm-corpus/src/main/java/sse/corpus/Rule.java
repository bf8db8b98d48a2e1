package sse.corpus;

import java.util.function.Predicate;

/** A message a library cannot express, and why: a fixture with one such message is a 404. */
public record Rule(Predicate<Item> matches, String reason) {}
