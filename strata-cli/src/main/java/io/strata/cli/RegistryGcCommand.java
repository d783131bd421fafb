package io.strata.cli;

import io.strata.registry.server.RegistryConfig;
import io.strata.registry.server.RegistryGc;
import java.nio.file.Path;
import java.time.Duration;

/** {@code strata registry gc}: deletes blobs no manifest references, while the registry may serve. */
final class RegistryGcCommand extends CliCommand {
  RegistryGcCommand(Session session) {
    super(session, "gc", "Delete the registry's unreferenced blobs");
    option("FILE", "The registry's configuration file", "--config");
    option("DIR", "File system storage directory (instead of --config)", "--storage");
    flag("Say what would be deleted, delete nothing", "--dry-run");
    flag("Delete manifests no tag reaches, then what only they referenced", "--delete-untagged");
    option("DURATION", "Keep everything younger than this (default 1h): blobs uploaded, re-uploaded or mounted, manifests "
        + "put and upload sessions written within it. This protects pushes during gc of a live registry: keep it longer "
        + "than any push takes", "--grace");
  }

  @Override
  public Integer call() throws Exception {
    RegistryConfig c = value("--config") != null ? RegistryConfig.load(Path.of(value("--config"))) : RegistryConfig.defaults();
    if (value("--storage") != null) c = c.withRoot(Path.of(value("--storage")));
    Duration grace = value("--grace") == null ? RegistryGc.DEFAULT_GRACE : io.strata.oci.GoDuration.parse(value("--grace"));
    if (grace == null || grace.isNegative()) {
      throw new ExitCodes.UsageException("invalid argument \"" + value("--grace") + "\" for \"--grace\" flag: want a duration such as 1h or 30m");
    }
    RegistryGc.Report r = RegistryGc.run(c, isSet("--dry-run"), isSet("--delete-untagged"), grace);
    String verb = isSet("--dry-run") ? "would delete" : "deleted";
    for (String m : r.manifests()) session.out().println(verb + " manifest " + m);
    for (var b : r.blobs()) session.out().println(verb + " blob " + b);
    for (String u : r.uploads()) session.out().println(verb + " upload " + u);
    session.out().println(r.blobs().size() + " blobs, " + HumanUnits.humanSize(r.bytes()) + (isSet("--dry-run") ? " to reclaim" : " reclaimed"));
    return ExitCodes.OK;
  }
}
