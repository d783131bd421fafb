package io.strata.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A strata command, declared with picocli's programmatic model rather than annotations: reading
 * annotations makes the JDK generate a proxy class per annotation type at run time, which no
 * start-up cache can hold and which cost more than half of a short command's start-up. Each
 * command declares its flags in its constructor and reads their values in {@link #call()}.
 */
abstract class CliCommand implements Callable<Integer> {
  protected final Session session;
  private final CommandSpec spec;

  CliCommand(Session session, String name, String description) {
    this.session = session;
    this.spec = CommandSpec.wrapWithoutInspection(this).name(name);
    spec.usageMessage().description(description);
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Print usage").build());
  }

  CommandSpec spec() {
    return spec;
  }

  /** A boolean flag such as {@code -a, --all}. */
  protected void flag(String description, String... names) {
    spec.addOption(OptionSpec.builder(names).type(boolean.class).arity("0")
        .description(description).build());
  }

  /** An option with one value; the last occurrence wins. */
  protected void option(String label, String description, String... names) {
    spec.addOption(OptionSpec.builder(names).type(String.class).paramLabel(label).description(description).build());
  }

  /** An option that may be repeated, collecting every value ({@code -f a -f b}). */
  protected void repeatable(String label, String description, String... names) {
    spec.addOption(OptionSpec.builder(names).type(List.class).auxiliaryTypes(String.class).paramLabel(label)
        .description(description).build());
  }

  /** Positional parameters at {@code index} ("0", "1", "0..*") with an arity ("1", "0..1", "1..*"). */
  protected void positional(String index, String arity, String label, String description) {
    boolean many = arity.endsWith("*");
    spec.addPositional(PositionalParamSpec.builder().index(index).arity(arity).required(!arity.startsWith("0"))
        .paramLabel(label)
        .type(many ? List.class : String.class).auxiliaryTypes(String.class).description(description).build());
  }

  protected void add(OptionSpec option) {
    spec.addOption(option);
  }

  protected boolean isSet(String name) {
    Object value = spec.findOption(name).getValue();
    return value instanceof Boolean b && b;
  }

  protected String value(String name) {
    return spec.findOption(name).getValue();
  }

  protected List<String> values(String name) {
    List<String> v = spec.findOption(name).getValue();
    return v == null ? List.of() : v;
  }

  protected String arg(int position) {
    return spec.positionalParameters().get(position).getValue();
  }

  protected List<String> args(int position) {
    List<String> v = spec.positionalParameters().get(position).getValue();
    return v == null ? List.of() : v;
  }
}
