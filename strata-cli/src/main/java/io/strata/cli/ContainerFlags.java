package io.strata.cli;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.runtime.ContainerOptions;
import io.strata.runtime.CreateRequest;
import io.strata.runtime.MountRequest;
import io.strata.runtime.RunOptions;
import io.strata.runtime.Networking;
import io.strata.runtime.spec.DeviceMapping;
import io.strata.runtime.spec.FlagValues;
import io.strata.runtime.spec.HostConfig;
import io.strata.runtime.spec.Resources;
import io.strata.runtime.spec.SecurityOpts;
import io.strata.runtime.spec.Ulimit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    registerHostFlags(c);
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
    PullCommand.platform(c.value("--platform")); // checked whether or not a pull needs it, as Docker's client does
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
    List<String> env = environment(c, hostEnv);
    String entrypoint = c.value("--entrypoint");
    return new CreateRequest(c.arg(0), c.value("--name"), entrypoint == null ? null
        : entrypoint.isEmpty() ? List.of() : List.of(entrypoint), c.args(1), env, c.value("--workdir"),
        c.value("--user"), c.value("--hostname"), c.isSet("--tty"), c.isSet("--interactive"), c.isSet("--read-only"),
        c.value("--network"), c.values("--volume"), c.isSet("--rm"), new Networking(c.values("--publish"),
            c.isSet("--publish-all"), c.values("--network-alias"), c.values("--add-host"), c.values("--dns"), c.value("--ip")),
        new MountRequest(c.values("--mount"), c.values("--tmpfs"), c.values("--volumes-from")), runOptions(c),
        containerOptions(c));
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

  /** {@code --env-file} files, then {@code -e}, as Docker applies them (for {@code run}, {@code create} and {@code exec}). */
  static List<String> environment(CliCommand c, Map<String, String> hostEnv) {
    List<String> env = new ArrayList<>();
    for (String file : c.values("--env-file")) env.addAll(envFile(Path.of(file), hostEnv));
    for (String e : c.values("--env")) env.add(expand(e, hostEnv));
    return env;
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

  // ---- privileges, limits, devices, labels and stop settings (Docker's names, messages and 125s)

  private static void registerHostFlags(CliCommand c) {
    c.repeatable("CAP", "Add Linux capabilities (name with or without CAP_, or ALL)", "--cap-add");
    c.repeatable("CAP", "Drop Linux capabilities (name with or without CAP_, or ALL)", "--cap-drop");
    c.flag("Give extended privileges to this container", "--privileged");
    c.repeatable("OPT", "Security options: no-new-privileges[=true|false]", "--security-opt");
    c.repeatable("NAME=SOFT[:HARD]", "Ulimit options (nofile, nproc, core, memlock, stack, ...)", "--ulimit");
    registerResourceFlags(c);
    c.repeatable("/dev/HOST[:/dev/CTR][:rwm]", "Add a host device to the container", "--device");
    c.repeatable("GROUP", "Add additional groups to join", "--group-add");
    c.flag("Run an init inside the container that forwards signals and reaps processes", "--init");
    c.repeatable("KEY=VALUE", "Set meta data on a container", "-l", "--label");
    c.repeatable("FILE", "Read in a line delimited file of labels", "--label-file");
    c.option("SECONDS", "Timeout (in seconds) to stop a container", "--stop-timeout");
    c.option("SIGNAL", "Signal to stop the container", "--stop-signal");
  }

  /** The cgroup limits, which {@code update} shares with {@code create} and {@code run}. */
  static void registerResourceFlags(CliCommand c) {
    c.option("BYTES", "Memory limit", "-m", "--memory");
    c.option("BYTES", "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", "--memory-swap");
    c.option("DECIMAL", "Number of CPUs", "--cpus");
    c.option("INT", "CPU shares (relative weight)", "-c", "--cpu-shares");
    c.option("INT", "Tune container pids limit (set -1 for unlimited)", "--pids-limit");
  }

  /** The values of {@link #registerResourceFlags}' flags: 0 (null for the pids limit) where one is not given. */
  static Resources resources(CliCommand c) {
    return new Resources(
        c.value("--memory") == null ? 0 : flagValue("-m, --memory", c.value("--memory"), FlagValues::ramInBytes),
        c.value("--memory-swap") == null ? 0 : flagValue("--memory-swap", c.value("--memory-swap"), FlagValues::memorySwap),
        c.value("--cpus") == null ? 0 : flagValue("--cpus", c.value("--cpus"), FlagValues::nanoCpus),
        c.value("--cpu-shares") == null ? 0 : flagValue("-c, --cpu-shares", c.value("--cpu-shares"), FlagValues::int64Base0),
        c.value("--pids-limit") == null ? null : flagValue("--pids-limit", c.value("--pids-limit"), FlagValues::int64Base0));
  }

  private static ContainerOptions containerOptions(CliCommand c) {
    Map<String, Ulimit> ulimits = new LinkedHashMap<>(); // the last of a name wins, as Docker's map of them
    for (String u : c.values("--ulimit")) {
      Ulimit parsed = flagValue("--ulimit", u, Ulimit::parse);
      ulimits.put(parsed.name(), parsed);
    }
    Resources resources = resources(c);
    Integer stopTimeout = c.value("--stop-timeout") == null ? null
        : flagValue("--stop-timeout", c.value("--stop-timeout"), ContainerFlags::goInt);
    List<DeviceMapping> devices = new ArrayList<>();
    for (String d : c.values("--device")) devices.add(cliValue(() -> DeviceMapping.parse(d)));
    for (String o : c.values("--security-opt")) cliValue(() -> {
      SecurityOpts.checkForm(o);
      return o;
    });
    HostConfig host = new HostConfig(c.values("--cap-add"), c.values("--cap-drop"), c.isSet("--privileged"),
        c.values("--security-opt"), List.copyOf(ulimits.values()), resources, devices, c.values("--group-add"),
        c.isSet("--init"));
    return new ContainerOptions(host, labels(c), c.value("--stop-signal"), stopTimeout);
  }

  /** Docker's labels: each {@code --label-file}'s lines, then each {@code --label}; KEY alone is an empty value. */
  private static Map<String, String> labels(CliCommand c) {
    List<String> all = new ArrayList<>();
    for (String file : c.values("--label-file")) all.addAll(keyValueFile(Path.of(file)));
    all.addAll(c.values("--label"));
    Map<String, String> labels = new LinkedHashMap<>();
    for (String kv : all) {
      int eq = kv.indexOf('=');
      labels.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
    }
    return labels;
  }

  /** The docker CLI's {@code parseKeyValueFile} (without a lookup of bare names in the host's environment). */
  private static List<String> keyValueFile(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new ExitCodes.UsageException("env file " + file + " contains invalid utf8 bytes");
    } catch (IOException e) {
      throw new ExitCodes.UsageException(ExitCodes.message(e));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = (i == 0 ? lines.get(i).replaceFirst("^\uFEFF", "") : lines.get(i)).stripLeading();
      if (line.isEmpty() || line.startsWith("#")) continue;
      int eq = line.indexOf('=');
      String name = eq < 0 ? line : line.substring(0, eq); // its leading blanks went with the line's
      if (name.contains(" ") || name.contains("\t")) {
        throw new ExitCodes.UsageException("poorly formatted environment: variable '" + name + "' contains whitespaces");
      }
      if (name.isEmpty()) throw new ExitCodes.UsageException("poorly formatted environment: no variable name on line '" + line + "'");
      out.add(eq < 0 ? line : name + "=" + line.substring(eq + 1));
    }
    return out;
  }

  /** pflag's {@code int}: Go's {@code strconv.ParseInt(s, 0, 64)}, within an int. */
  private static Integer goInt(String s) {
    long v = FlagValues.int64Base0(s);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new InvalidArgumentException("strconv.ParseInt: parsing \"" + s + "\": value out of range");
    }
    return (int) v;
  }

  /** A flag's value parsed, or pflag's {@code invalid argument "V" for "FLAG" flag: ...} and 125. */
  private static <T> T flagValue(String flag, String value, java.util.function.Function<String, T> parse) {
    try {
      return parse.apply(value);
    } catch (InvalidArgumentException e) {
      throw new ExitCodes.UsageException("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + e.getMessage());
    }
  }

  /** A value the docker CLI checks after parsing its flags: its message, and 125. */
  private static <T> T cliValue(java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (InvalidArgumentException e) {
      throw new ExitCodes.UsageException(e.getMessage());
    }
  }
}
