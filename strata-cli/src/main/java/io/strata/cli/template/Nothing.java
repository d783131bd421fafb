package io.strata.cli.template;

/** Go's two kinds of nothing, which print differently. */
public enum Nothing {
  /**
   * No value at all (Go's invalid {@code reflect.Value}): a missing map key, an unset interface, the
   * untyped {@code nil}. An action prints it as {@code <no value>}; {@code fmt} as {@code <nil>}.
   */
  NO_VALUE,
  /** A typed nil, such as JSON {@code null} (a nil pointer, map or slice in Go): prints as {@code <nil>}. */
  NIL
}
