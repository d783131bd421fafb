package io.strata.cli;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import io.strata.image.Image;
import io.strata.oci.MediaTypes;
import io.strata.oci.Reference;
import io.strata.registry.LayerCompressor;
import io.strata.registry.Pusher;
import io.strata.registry.RegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code strata push}: an image (or with {@code -a} every local tag of the repository) to its
 * registry; blobs it has are skipped, blobs another repository there has are mounted, uncompressed
 * layers are compressed once ({@code --compression-format gzip|zstd}).
 */
final class PushCommand extends CliCommand {
  PushCommand(Session session) {
    super(session, "push", "Upload an image to a registry");
    flag("Push all tags of an image to the repository", "-a", "--all-tags");
    flag("Suppress verbose output", "-q", "--quiet");
    option("FORMAT", "Compression of layers stored uncompressed: gzip (default) or zstd", "--compression-format");
    positional("0", "1", "NAME[:TAG]", "The image");
  }

  @Override
  public Integer call() {
    Reference ref = PullCommand.parse(arg(0));
    if (ref.digest() != null) throw new InvalidArgumentException("cannot push a digest reference");
    LayerCompressor.Format format = format(value("--compression-format"));
    List<Reference> targets = new ArrayList<>();
    if (isSet("--all-tags")) {
      if (ref.tag() != null) throw new InvalidArgumentException("tag can't be used with --all-tags/-a");
      for (List<String> tags : session.images().store().images().allTags().values()) {
        for (String t : tags) {
          Reference r = Reference.parseNormalizedNamed(t);
          if (r.name().equals(ref.name())) targets.add(r);
        }
      }
      if (targets.isEmpty()) throw new NotFoundException("An image does not exist locally with the tag: " + ref.familiarName());
      targets.sort(java.util.Comparator.comparing(Reference::tag));
    } else {
      targets.add(ref.tag() == null ? ref.withTag(Reference.DEFAULT_TAG) : ref);
    }
    boolean quiet = isSet("--quiet");
    TransferView view = TransferView.of(session.out(), session.streams().stdoutIsTerminal(), quiet);
    view.line("The push refers to repository [" + ref.name() + "]");
    var options = Registries.options(session);
    try (RegistryClient client = new RegistryClient(ref.domain(), options, Registries.credentials(session))) {
      for (Reference target : targets) {
        Image image;
        try {
          image = session.images().resolve(target.toString());
        } catch (NotFoundException e) {
          throw new NotFoundException("An image does not exist locally with the tag: " + target.familiarString());
        }
        boolean docker = MediaTypes.DOCKER_MANIFEST.equals(image.manifest().mediaType());
        var compressor = new LayerCompressor(session.images().store(), format, docker);
        new Pusher(session.images().store(), client, options, compressor, view).push(image, target);
        if (quiet) session.out().println(target.familiarString());
      }
    }
    return ExitCodes.OK;
  }

  private static LayerCompressor.Format format(String s) {
    if (s == null) return LayerCompressor.Format.GZIP;
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "gzip" -> LayerCompressor.Format.GZIP;
      case "zstd" -> LayerCompressor.Format.ZSTD;
      default -> throw new ExitCodes.UsageException("invalid --compression-format \"" + s + "\": want gzip or zstd");
    };
  }
}
