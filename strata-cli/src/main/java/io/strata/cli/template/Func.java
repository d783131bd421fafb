package io.strata.cli.template;

import java.util.List;

/**
 * A function a template can call, as an entry of Go's {@code FuncMap} or as a method of a
 * {@link Struct}: its parameter types (which decide how constants and piped values are checked and
 * converted, as Go's reflection does) and its body. A body reports failure by throwing
 * {@link Failure}; the executor turns it into {@code error calling NAME: MESSAGE}.
 *
 * @param variadic the last parameter takes any number of arguments ({@code ...T})
 */
public record Func(String name, List<Type> params, boolean variadic, Body body) {
  public Func {
    params = List.copyOf(params);
    if (variadic && params.isEmpty()) throw new IllegalArgumentException("variadic function without parameters");
  }

  /** A function of fixed arity. */
  public static Func of(String name, Body body, Type... params) {
    return new Func(name, List.of(params), false, body);
  }

  /** A function whose last parameter is variadic. */
  public static Func variadic(String name, Body body, Type... params) {
    return new Func(name, List.of(params), true, body);
  }

  /** Go's spelling of the function's type, for {@code %T} and error messages. */
  public String goType() {
    StringBuilder sb = new StringBuilder("func(");
    for (int i = 0; i < params.size(); i++) {
      if (i > 0) sb.append(", ");
      if (variadic && i == params.size() - 1) sb.append("...");
      sb.append(params.get(i).goName());
    }
    return sb.append(") interface {}").toString();
  }

  /** The parameter types Go's reflection distinguishes when it evaluates arguments. */
  public enum Type {
    /** {@code interface{}}: anything; no value becomes the untyped nil. */
    ANY("interface {}"),
    /** {@code reflect.Value}: anything, kept exactly as evaluated (the builtins take these). */
    VALUE("reflect.Value"),
    STRING("string"),
    INT("int"),
    FLOAT("float64"),
    BOOL("bool"),
    /** {@code []string}: a list whose elements are all strings. */
    STRINGS("[]string");

    private final String goName;

    Type(String goName) {
      this.goName = goName;
    }

    public String goName() {
      return goName;
    }

    boolean canBeNil() {
      return this == ANY || this == VALUE || this == STRINGS;
    }
  }

  /** The body of a function: arguments are template values already checked against the parameters. */
  @FunctionalInterface
  public interface Body {
    Object call(List<Object> args);
  }

  /** An error a function returns (Go's second result): execution stops with {@code error calling NAME: MESSAGE}. */
  public static final class Failure extends RuntimeException {
    public Failure(String message) {
      super(message, null, false, false);
    }
  }
}
