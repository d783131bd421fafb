package io.strata.cli;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Platform;
import io.strata.oci.Reference;
import io.strata.registry.RegistryClient;
import io.strata.registry.TagLister;
import java.util.List;

/**
 * {@code strata pull}: an image (or with {@code -a} every tag of a repository) from its registry,
 * only the layers the store lacks, unpacked as they download; Docker's output and final line.
 */
final class PullCommand extends CliCommand {
  PullCommand(Session session) {
    super(session, "pull", "Download an image from a registry");
    flag("Download all tagged images in the repository", "-a", "--all-tags");
    flag("Suppress verbose output", "-q", "--quiet");
    option("PLATFORM", "Set platform if server is multi-platform capable (os/arch[/variant]; default: this host's)", "--platform");
    flag("Keep the blobs only: layers are unpacked when a container first needs them (strata)", "--no-unpack");
    positional("0", "1", "NAME[:TAG|@DIGEST]", "The image");
  }

  @Override
  public Integer call() {
    Reference ref = parse(arg(0));
    Platform platform = platform(value("--platform"));
    boolean quiet = isSet("--quiet");
    TransferView view = TransferView.of(session.out(), session.streams().stdoutIsTerminal(), quiet);
    if (!isSet("--all-tags")) {
      var result = Registries.pull(session, ref, platform, view, !isSet("--no-unpack"));
      session.out().println(result.reference().toString());
      return ExitCodes.OK;
    }
    if (ref.tag() != null || ref.digest() != null) throw new InvalidArgumentException("tag can't be used with --all-tags/-a");
    List<String> tags;
    try (RegistryClient client = Registries.client(session, ref.domain())) {
      tags = TagLister.list(client, ref.path());
    }
    for (String tag : tags) Registries.pull(session, ref.withTag(tag), platform, view, !isSet("--no-unpack"));
    session.out().println(ref.toString());
    return ExitCodes.OK;
  }

  static Reference parse(String name) {
    return Reference.parseNormalizedNamed(name);
  }

  /** {@code os/arch[/variant]}; null: this host's. */
  static Platform platform(String spec) {
    if (spec == null || spec.isEmpty()) return Platform.current();
    String[] p = spec.toLowerCase(java.util.Locale.ROOT).split("/");
    if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
      throw new ExitCodes.UsageException("invalid platform \"" + spec + "\": want os/arch[/variant]");
    }
    return Platform.of(p[0], p[1], p.length == 3 ? p[2] : null);
  }
}
