package io.strata.cli;

import io.strata.build.BaseImages;
import io.strata.build.BuildRequest;
import io.strata.build.Builder;
import io.strata.oci.Digest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code strata build}: a Dockerfile and a context directory become an image. */
final class BuildCommand extends CliCommand {
  BuildCommand(Session session) {
    super(session, "build", "Build an image from a Dockerfile");
    repeatable("NAME[:TAG]", "Name and optionally a tag for the image", "-t", "--tag");
    option("FILE", "Name of the Dockerfile (default: PATH/Dockerfile)", "-f", "--file");
    repeatable("KEY=VALUE", "Set build-time variables", "--build-arg");
    repeatable("KEY=VALUE", "Set metadata for the image", "--label");
    option("STAGE", "Set the target build stage to build", "--target");
    flag("Do not use cache when building the image", "--no-cache");
    flag("Suppress the build output and print image ID on success", "-q", "--quiet");
    option("TYPE", "Set type of progress output (auto, plain, tty): auto is tty on a terminal", "--progress");
    option("FILE", "Write the image ID to the file", "--iidfile");
    option("SECONDS", "Timestamp for the image and its history (default: $SOURCE_DATE_EPOCH, else now)", "--timestamp");
    repeatable("id=ID[,src=FILE|env=VAR]", "Secret to expose to RUN --mount=type=secret", "--secret");
    flag("Always attempt to pull a newer version of the base images", "--pull");
    option("MODE", "Networking of RUN steps: default (the default bridge), none, host", "--network");
    repeatable("ENTITLEMENT", "Allow an extra privilege: network.host (RUN --network=host)", "--allow");
    positional("0", "1", "PATH", "The build context directory");
  }

  @Override
  public Integer call() throws IOException {
    if (arg(0).contains("://") || arg(0).startsWith("git@") || arg(0).equals("-")) {
      // never handed to git or a downloader: a ref like #--upload-pack=… can inject nothing (S36, CVE-2019-13139)
      throw new io.strata.errdefs.InvalidArgumentException("unable to prepare context: remote and stdin contexts are not"
          + " supported, only a local directory: " + arg(0).replaceAll("\\p{Cntrl}", "?"));
    }
    Path context = Path.of(arg(0));
    Path file = value("--file") == null ? null : Path.of(value("--file"));
    Map<String, String> env = session.streams().env();
    String epoch = value("--timestamp") != null ? value("--timestamp") : env.get("SOURCE_DATE_EPOCH");
    BuildRequest req = new BuildRequest(context, file, values("--tag"), pairs(values("--build-arg"), env, true),
        value("--target"), isSet("--no-cache"), pairs(values("--label"), Map.of(), false),
        epoch == null || epoch.isEmpty() ? null : epochSeconds(epoch, value("--timestamp") != null), secrets(values("--secret"), env),
        value("--network"), values("--allow").contains("network.host"));
    for (String tag : values("--tag")) { // before building, as Docker's flag validator does
      try {
        io.strata.oci.Reference.parseNormalizedNamed(tag);
      } catch (io.strata.errdefs.InvalidArgumentException e) {
        throw new ExitCodes.UsageException("invalid argument \"" + tag + "\" for \"-t, --tag\" flag: invalid reference format");
      }
    }
    if (value("--iidfile") != null) { // as Docker: an old ID file goes first, and a path that cannot be one stops the build
      try {
        Files.deleteIfExists(Path.of(value("--iidfile")));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("Removing image ID file", e);
      }
    }
    for (String a : values("--allow")) {
      if (!a.equals("network.host")) throw new ExitCodes.UsageException("invalid --allow " + a + ": strata grants network.host only");
    }
    boolean quiet = isSet("--quiet");
    session.out().flush();
    PrintStream progress = new PrintStream(session.streams().out(), true, StandardCharsets.UTF_8);
    Digest id;
    try {
      java.io.PrintWriter pullOut = new java.io.PrintWriter(new java.io.OutputStreamWriter(progress, StandardCharsets.UTF_8), true);
      TransferView pulls = TransferView.of(pullOut, false, quiet);
      BaseImages bases = ref -> Registries.pull(session, PullCommand.parse(ref), io.strata.oci.Platform.current(), pulls);
      id = new Builder(session.images(), session.containers(), bases, isSet("--pull")).build(req, progressView(progress, quiet));
    } catch (RuntimeException e) {
      showLine(e, context, file);
      throw e;
    }
    if (quiet) session.out().println(id);
    if (value("--iidfile") != null) {
      byte[] text = id.toString().getBytes(StandardCharsets.UTF_8);
      OutputFile.write(Path.of(value("--iidfile")), out -> out.write(text));
    }
    return ExitCodes.OK;
  }

  /**
   * {@code --timestamp} as buildah's int64 flag (pflag's message and 125 when it is not one), or
   * {@code $SOURCE_DATE_EPOCH}, which BuildKit refuses with its own line.
   */
  private static long epochSeconds(String v, boolean flag) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      String why = v.matches("[+-]?\\d+") ? "value out of range" : "invalid syntax";
      if (flag) {
        throw new ExitCodes.UsageException("invalid argument \"" + v + "\" for \"--timestamp\" flag: strconv.ParseInt: parsing \""
            + v + "\": " + why);
      }
      throw new io.strata.errdefs.InvalidArgumentException("invalid SOURCE_DATE_EPOCH: " + v + " (strconv.ParseInt: " + why + ")");
    }
  }

  /** {@code --progress}: plain lines, or BuildKit's terminal view when asked or on a terminal; nothing with -q. */
  private io.strata.build.BuildProgress progressView(PrintStream out, boolean quiet) {
    String mode = value("--progress") == null ? "auto" : value("--progress");
    if (quiet) return io.strata.build.BuildProgress.quiet();
    return switch (mode) {
      case "plain" -> io.strata.build.BuildProgress.plain(out);
      case "tty" -> io.strata.build.BuildProgress.tty(out, columns());
      case "auto" -> session.streams().stdoutIsTerminal() ? io.strata.build.BuildProgress.tty(out, columns())
          : io.strata.build.BuildProgress.plain(out);
      default -> throw new ExitCodes.UsageException("invalid argument \"" + mode + "\" for \"--progress\" flag: use auto, plain or tty");
    };
  }

  private int columns() {
    try {
      return Integer.parseInt(session.streams().env().getOrDefault("COLUMNS", "100"));
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  /**
   * Before the one-line error, the Dockerfile lines around the one it names, as Docker shows them:
   * {@code Dockerfile:2}, a rule, the lines with {@code >>>} at the offending one, a rule.
   */
  private void showLine(RuntimeException e, Path context, Path dockerfile) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^Dockerfile:(\\d+): ").matcher(String.valueOf(e.getMessage()));
    if (!m.find()) return;
    int line = Integer.parseInt(m.group(1));
    try {
      java.util.List<String> lines = io.strata.build.DockerfileSource.read(context, dockerfile).lines().toList();
      if (line < 1 || line > lines.size()) return;
      PrintStream err = session.streams().err();
      err.println("Dockerfile:" + line);
      err.println("--------------------");
      for (int i = Math.max(1, line - 2); i <= line; i++) {
        err.printf("%4d | %s%s%n", i, i == line ? ">>> " : "    ", lines.get(i - 1));
      }
      err.println("--------------------");
    } catch (RuntimeException ignored) {
      // the error itself still says where
    }
  }

  /**
   * {@code --secret id=ID,src=FILE} or {@code id=ID,env=VAR} (buildx's forms); with neither, the
   * variable named ID if set, else a file named ID.
   */
  private static Map<String, byte[]> secrets(java.util.List<String> specs, Map<String, String> env) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String spec : specs) {
      Map<String, String> f = new LinkedHashMap<>();
      for (String field : spec.split(",")) {
        int eq = field.indexOf('=');
        if (eq < 0) throw new io.strata.errdefs.InvalidArgumentException("invalid secret " + spec + ": " + field + " is not key=value");
        f.put(field.substring(0, eq), field.substring(eq + 1));
      }
      String id = f.get("id");
      if (id == null || id.isEmpty()) throw new io.strata.errdefs.InvalidArgumentException("invalid secret " + spec + ": id is required");
      String src = f.getOrDefault("src", f.get("source"));
      String var = f.get("env");
      if (var != null) {
        if (!env.containsKey(var)) throw new io.strata.errdefs.InvalidArgumentException("secret " + id + ": environment variable " + var + " is not set");
        out.put(id, env.get(var).getBytes(StandardCharsets.UTF_8));
      } else if (src == null && env.containsKey(id)) {
        out.put(id, env.get(id).getBytes(StandardCharsets.UTF_8));
      } else {
        Path file = Path.of(src != null ? src : id);
        if (!Files.isRegularFile(file)) throw new io.strata.errdefs.InvalidArgumentException("secret " + id + ": " + file + ": no such file");
        out.put(id, Files.readAllBytes(file));
      }
    }
    return out;
  }

  /** KEY=VALUE list; a bare KEY takes the host's value when {@code fromEnv} (docker's --build-arg). */
  private static Map<String, String> pairs(java.util.List<String> list, Map<String, String> env, boolean fromEnv) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String kv : list) {
      int eq = kv.indexOf('=');
      if (eq > 0) out.put(kv.substring(0, eq), kv.substring(eq + 1));
      else if (fromEnv && env.containsKey(kv)) out.put(kv, env.get(kv));
      else if (!fromEnv) out.put(kv, "");
    }
    return out;
  }
}
