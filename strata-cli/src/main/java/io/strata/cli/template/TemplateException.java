package io.strata.cli.template;

/**
 * A template that does not parse or does not execute. The message is Go's, e.g.
 * {@code template: :1: unexpected "}" in operand} or
 * {@code template: :1:2: executing "" at <.Foo>: can't evaluate field Foo in type int}.
 */
public final class TemplateException extends RuntimeException {
  public TemplateException(String message) {
    super(message, null, false, false);
  }
}
