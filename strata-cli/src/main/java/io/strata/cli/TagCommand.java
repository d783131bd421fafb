package io.strata.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code strata tag SOURCE TARGET}: a new name for an existing image. */
@Command(name = "tag", 
    description = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE")
final class TagCommand implements Callable<Integer> {
  @Mixin HelpOption help;
  private final Session session;

  @Parameters(index = "0", paramLabel = "SOURCE_IMAGE[:TAG]")
  String source;
  @Parameters(index = "1", paramLabel = "TARGET_IMAGE[:TAG]")
  String target;

  TagCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    session.images().tag(source, target);
    return ExitCodes.OK;
  }
}
