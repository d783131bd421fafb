package io.strata.cli;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.runtime.CreateRequest;
import io.strata.runtime.MountRequest;
import io.strata.runtime.RunOptions;
import io.strata.runtime.Networking;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The flags {@code create} and {@code run} share, and the request they make. */
final class ContainerFlags {
  private ContainerFlags() {}

  static void register(CliCommand c) {
    // as in Docker, -h is --hostname here: help is --help only
    c.spec().remove(c.spec().findOption("--help"));
    c.add(picocli.CommandLine.Model.OptionSpec.builder("--help").usageHelp(true).description("Print usage").build());
    c.option("NAME", "Assign a name to the container", "--name");
    c.repeatable("KEY=VALUE", "Set environment variables", "-e", "--env");
    c.repeatable("FILE", "Read in a file of environment variables", "--env-file");
    c.option("DIR", "Working directory inside the container", "-w", "--workdir");
    c.option("USER", "Username or UID (format: <name|uid>[:<group|gid>])", "-u", "--user");
    c.option("CMD", "Overwrite the default ENTRYPOINT of the image", "--entrypoint");
    c.repeatable("[SRC:]DST[:OPTS]", "Bind mount a host path or mount a volume", "-v", "--volume");
    c.repeatable("type=…,source=…,target=…", "Attach a filesystem mount to the container", "--mount");
    c.repeatable("DST[:OPTS]", "Mount a tmpfs directory", "--tmpfs");
    c.repeatable("CONTAINER[:ro|rw]", "Mount volumes from the specified container(s)", "--volumes-from");
    c.flag("Mount the container's root filesystem as read only", "--read-only");
    c.flag("Keep STDIN open", "-i", "--interactive");
    c.flag("Allocate a pseudo-TTY", "-t", "--tty");
    c.option("NETWORK", "Connect a container to a network: bridge (default), host, none or a network's name", "--network", "--net");
    c.repeatable("[IP:][HOST:]CONTAINER[/PROTO]", "Publish a container's port(s) to the host", "-p", "--publish");
    c.flag("Publish all exposed ports to random host ports", "-P", "--publish-all");
    c.repeatable("ALIAS", "Add a network-scoped alias for the container", "--network-alias");
    c.repeatable("HOST:IP", "Add a custom host-to-IP mapping", "--add-host");
    c.repeatable("IP", "Set custom DNS servers", "--dns");
    c.option("IP", "IPv4 address on a user network", "--ip");
    c.option("NAME", "Container host name", "-h", "--hostname");
    c.flag("Automatically remove the container when it exits", "--rm");
    c.option("POLICY", "Restart policy to apply when a container exits (no, on-failure[:N], always, unless-stopped)", "--restart");
    c.option("CMD", "Command to run to check health", "--health-cmd");
    c.option("DURATION", "Time between running the check (ms|s|m|h)", "--health-interval");
    c.option("DURATION", "Maximum time to allow one check to run (ms|s|m|h)", "--health-timeout");
    c.option("N", "Consecutive failures needed to report unhealthy", "--health-retries");
    c.option("DURATION", "Start period for the container to initialize before counting retries (ms|s|m|h)", "--health-start-period");
    c.flag("Disable any container-specified HEALTHCHECK", "--no-healthcheck");
    c.option("POLICY", "Pull image before running: missing (default), always, never", "--pull");
    c.option("PLATFORM", "Platform to pull the image for, when pulled (os/arch[/variant])", "--platform");
    c.positional("0", "1", "IMAGE", "The image");
    c.positional("1..*", "0..*", "COMMAND", "Command and arguments");
    c.spec().parser().stopAtPositional(true);
  }

  /**
   * Docker's {@code --pull}: the image is pulled when the store lacks it ({@code missing}, with
   * "Unable to find image" on stderr), always, or never; the pull's progress goes to stderr.
   */
  static void pullIfNeeded(CliCommand c, Session session) {
    String policy = c.value("--pull") == null ? "missing" : c.value("--pull");
    if (!List.of("missing", "always", "never").contains(policy)) {
      throw new ExitCodes.UsageException("invalid pull policy \"" + policy + "\": want missing, always or never");
    }
    String image = c.arg(0);
    if (policy.equals("never")) return;
    if (policy.equals("missing")) {
      try {
        session.images().resolve(image);
        return;
      } catch (io.strata.errdefs.NotFoundException e) {
        if (image.matches("(sha256:)?[0-9a-f]{12,64}")) throw e; // an ID: nothing to pull
        session.streams().err().println("Unable to find image '" + PullCommand.parse(image).familiarString() + "' locally");
      }
    }
    java.io.PrintWriter err = new java.io.PrintWriter(session.streams().err(), true);
    Registries.pull(session, PullCommand.parse(image), PullCommand.platform(c.value("--platform")),
        TransferView.of(err, false, false));
  }

  static CreateRequest request(CliCommand c, Map<String, String> hostEnv) {
    List<String> env = new ArrayList<>();
    for (String file : c.values("--env-file")) env.addAll(envFile(Path.of(file), hostEnv));
    for (String e : c.values("--env")) env.add(expand(e, hostEnv));
    String entrypoint = c.value("--entrypoint");
    return new CreateRequest(c.arg(0), c.value("--name"), entrypoint == null ? null
        : entrypoint.isEmpty() ? List.of() : List.of(entrypoint), c.args(1), env, c.value("--workdir"),
        c.value("--user"), c.value("--hostname"), c.isSet("--tty"), c.isSet("--interactive"), c.isSet("--read-only"),
        c.value("--network"), c.values("--volume"), c.isSet("--rm"), new Networking(c.values("--publish"),
            c.isSet("--publish-all"), c.values("--network-alias"), c.values("--add-host"), c.values("--dns"), c.value("--ip")),
        new MountRequest(c.values("--mount"), c.values("--tmpfs"), c.values("--volumes-from")), runOptions(c));
  }

  private static RunOptions runOptions(CliCommand c) {
    String retries = c.value("--health-retries");
    if (retries != null && !retries.matches("-?\\d{1,9}")) {
      throw new ExitCodes.UsageException("invalid argument \"" + retries + "\" for \"--health-retries\" flag: strconv.ParseInt: parsing \""
          + retries + "\": invalid syntax");
    }
    return new RunOptions(c.value("--restart"), c.value("--health-cmd"), duration(c, "--health-interval"),
        duration(c, "--health-timeout"), retries == null ? null : Integer.valueOf(retries), duration(c, "--health-start-period"),
        c.isSet("--no-healthcheck"));
  }

  private static java.time.Duration duration(CliCommand c, String flag) {
    String v = c.value(flag);
    if (v == null) return null;
    java.time.Duration d = io.strata.oci.GoDuration.parse(v);
    if (d == null) {
      throw new ExitCodes.UsageException("invalid argument \"" + v + "\" for \"" + flag + "\" flag: time: invalid duration \"" + v + "\"");
    }
    return d;
  }

  /** {@code -e NAME} without a value takes the host's; unset on the host, it is left out (as Docker does). */
  private static String expand(String e, Map<String, String> hostEnv) {
    if (e.contains("=")) return e;
    String v = hostEnv.get(e);
    return v == null ? e : e + "=" + v;
  }

  /** Docker's env-file: KEY=VALUE lines, # comments and blank lines skipped, a bare KEY from the host. */
  private static List<String> envFile(Path file, Map<String, String> hostEnv) {
    try {
      List<String> out = new ArrayList<>();
      int n = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        n++;
        String l = line.stripLeading();
        if (l.isEmpty() || l.startsWith("#")) continue;
        String key = l.contains("=") ? l.substring(0, l.indexOf('=')) : l;
        if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
          throw new InvalidArgumentException(file + ":" + n + ": invalid variable name \"" + key + "\"");
        }
        out.add(expand(l, hostEnv));
      }
      return out;
    } catch (IOException e) {
      throw new InvalidArgumentException("open " + file + ": " + e.getMessage());
    }
  }
}
