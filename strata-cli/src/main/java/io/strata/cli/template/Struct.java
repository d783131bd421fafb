package io.strata.cli.template;

import java.util.Collection;

/**
 * A value with Go struct semantics, as Docker's formatter contexts ({@code ContainerContext},
 * {@code ImageContext}) are: {@code .Name} finds a field or a method of that name, a method can take
 * arguments ({@code {{.Label "com.example"}}}), and any other name is an execution error
 * {@code can't evaluate field Name in type *formatter.ContainerContext}.
 */
public interface Struct {
  /** Go's name of the type, for messages: {@code *formatter.ContainerContext}. */
  String goType();

  /**
   * The member called {@code name}: a {@link Func} for a method, else the field's value (a template
   * value or a Java value {@link Values#of} converts); {@code null} when there is none.
   */
  Object member(String name);

  /** The fields (and methods without arguments) that {@code {{json .}}} and table headers show. */
  Collection<String> fieldNames();

  /** {@code {{json .}}} of this value: Docker marshals a context as an object of its fields, keys sorted. */
  String json();
}
