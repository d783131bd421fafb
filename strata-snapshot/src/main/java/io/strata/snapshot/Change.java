package io.strata.snapshot;

/** One line of {@code docker diff}: a path (absolute, in the container) added, changed or deleted. */
public record Change(Kind kind, String path) implements Comparable<Change> {
  public enum Kind {
    ADDED('A'),
    CHANGED('C'),
    DELETED('D');

    private final char letter;

    Kind(char letter) {
      this.letter = letter;
    }

    public char letter() {
      return letter;
    }
  }

  @Override
  public int compareTo(Change o) {
    return path.compareTo(o.path);
  }

  @Override
  public String toString() {
    return kind.letter + " " + path;
  }
}
