package io.strata.cli;

import io.strata.oci.Digest;
import io.strata.runtime.Containers;

/** {@code strata commit}: the container's changes as a new image; prints its ID. */
final class CommitCommand extends CliCommand {
  CommitCommand(Session session) {
    super(session, "commit", "Create a new image from a container's changes");
    option("STRING", "Commit message", "-m", "--message");
    option("STRING", "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")", "-a", "--author");
    repeatable("CHANGE", "Apply Dockerfile instruction to the created image", "-c", "--change");
    add(picocli.CommandLine.Model.OptionSpec.builder("-p", "--pause").type(boolean.class).arity("0..1")
        .defaultValue("true").description("Pause container during commit (default true)").build());
    positional("0", "1", "CONTAINER", "The container");
    positional("1", "0..1", "REPOSITORY[:TAG]", "Name for the new image");
  }

  @Override
  public Integer call() {
    boolean pause = spec().findOption("--pause").getValue();
    Digest id = session.containers().commit(arg(0), new Containers.CommitOptions(value("--message"),
        value("--author"), values("--change"), pause, arg(1)));
    session.out().println(id);
    return ExitCodes.OK;
  }
}
