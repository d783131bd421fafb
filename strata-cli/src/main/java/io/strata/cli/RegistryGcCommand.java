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
    option("DURATION", "Keep blobs younger than this (default 1h): uploads whose manifest is still to come", "--grace");
  }

  @Override
  public Integer call() throws Exception {
    RegistryConfig c = value("--config") != null ? RegistryConfig.load(Path.of(value("--config"))) : RegistryConfig.defaults();
    if (value("--storage") != null) c = c.withRoot(Path.of(value("--storage")));
    Duration grace = value("--grace") == null ? RegistryGc.DEFAULT_GRACE : Duration.parse("PT" + value("--grace").toUpperCase());
    RegistryGc.Report r = RegistryGc.run(c, isSet("--dry-run"), isSet("--delete-untagged"), grace);
    String verb = isSet("--dry-run") ? "would delete" : "deleted";
    for (String m : r.manifests()) session.out().println(verb + " manifest " + m);
    for (var b : r.blobs()) session.out().println(verb + " blob " + b);
    session.out().println(r.blobs().size() + " blobs, " + HumanUnits.humanSize(r.bytes()) + (isSet("--dry-run") ? " to reclaim" : " reclaimed"));
    return ExitCodes.OK;
  }
}
