package io.strata.runtime;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Docker-style generated names, {@code adjective_surname}; names given with {@code --name} are checked here too. */
final class ContainerNames {
  private static final List<String> ADJECTIVES = List.of("admiring", "bold", "brave", "clever", "eager", "elegant",
      "festive", "gentle", "happy", "jolly", "keen", "kind", "lucid", "modest", "nifty", "optimistic", "quirky",
      "relaxed", "serene", "sharp", "stoic", "tender", "vibrant", "wizardly", "zealous");
  private static final List<String> SURNAMES = List.of("archimedes", "babbage", "curie", "darwin", "einstein",
      "euler", "fermat", "galileo", "hopper", "hypatia", "kepler", "lamport", "lovelace", "mccarthy", "noether",
      "pascal", "ritchie", "shannon", "thompson", "torvalds", "turing", "wozniak");

  private ContainerNames() {}

  static String generate() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return ADJECTIVES.get(r.nextInt(ADJECTIVES.size())) + "_" + SURNAMES.get(r.nextInt(SURNAMES.size()));
  }

  /** Docker's rule for names: {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}. */
  static String check(String name) {
    String n = name.startsWith("/") ? name.substring(1) : name;
    if (!n.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]+")) {
      throw new io.strata.errdefs.InvalidArgumentException("Invalid container name (" + name
          + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }
    return n;
  }
}
