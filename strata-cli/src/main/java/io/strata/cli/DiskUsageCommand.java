package io.strata.cli;

import io.strata.image.DiskUsage;
import io.strata.runtime.Containers;
import io.strata.image.ImageSummary;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code strata system df}: docker's TYPE TOTAL ACTIVE SIZE RECLAIMABLE summary, or per image with {@code -v}. Build cache: layer cache entries and cache mounts.
 */
final class DiskUsageCommand extends CliCommand {
  static final String TABLE = "table {{.Type}}\\t{{.TotalCount}}\\t{{.Active}}\\t{{.Size}}\\t{{.Reclaimable}}";
  static final Map<String, String> HEADERS = Map.of("Type", "TYPE", "TotalCount", "TOTAL", "Active", "ACTIVE",
      "Size", "SIZE", "Reclaimable", "RECLAIMABLE");
  static final String VERBOSE_IMAGES = "table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}\\t{{.CreatedSince}}\\t{{.Size}}"
      + "\\t{{.SharedSize}}\\t{{.UniqueSize}}\\t{{.Containers}}";

  DiskUsageCommand(Session session) {
    super(session, "df", "Show strata disk usage");
    option("FORMAT", "Format output: 'table', 'json' or a template", "--format");
    flag("Show detailed information on space usage", "-v", "--verbose");
  }

  @Override
  public Integer call() {
    DiskUsage usage = session.images().diskUsage();
    if (isSet("--verbose")) {
      printVerbose(usage);
    } else {
      List<Map<String, String>> rows = List.of(
          imagesRow(usage), containersRow(session.containers().diskUsage()),
          volumesRow(session.containers().volumes()), buildCacheRow(new io.strata.build.BuildCacheAdmin(session.images().store()).usage()));
      new OutputFormat(value("--format")).print(rows, TABLE, HEADERS, session.out());
    }
    return ExitCodes.OK;
  }

  /** docker's RECLAIMABLE: bytes and, when there is anything, the percentage of the total (rounded down). */
  private static Map<String, String> imagesRow(DiskUsage usage) {
    return row("Images", usage.images().size(), usage.activeImages(), HumanUnits.humanSize(usage.layersSize()),
        reclaimable(usage.reclaimableBytes(), usage.layersSize()));
  }

  private static Map<String, String> containersRow(Containers.Usage usage) {
    return row("Containers", usage.total(), usage.running(), HumanUnits.humanSize(usage.bytes()),
        reclaimable(usage.reclaimable(), usage.bytes()));
  }

  private static Map<String, String> buildCacheRow(io.strata.build.BuildCacheAdmin.Usage usage) {
    return row("Build Cache", usage.total(), usage.active(), HumanUnits.humanSize(usage.bytes()), HumanUnits.humanSize(usage.reclaimable()));
  }

  private static String reclaimable(long reclaimable, long total) {
    String s = HumanUnits.humanSize(reclaimable);
    return total > 0 ? s + " (" + reclaimable * 100 / total + "%)" : s;
  }

  /** Docker's: every volume's size; those no container uses are reclaimable. */
  private static Map<String, String> volumesRow(io.strata.runtime.volume.Volumes volumes) {
    int total = 0;
    int active = 0;
    long bytes = 0;
    long reclaimable = 0;
    for (var v : volumes.list()) {
      long size = volumes.size(v);
      total++;
      bytes += size;
      if (volumes.users(v.name()).isEmpty()) reclaimable += size;
      else active++;
    }
    return row("Local Volumes", total, active, HumanUnits.humanSize(bytes), reclaimable(reclaimable, bytes));
  }

  private static Map<String, String> row(String type, int total, int active, String size, String reclaimable) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Active", Integer.toString(active));
    f.put("Reclaimable", reclaimable);
    f.put("Size", size);
    f.put("TotalCount", Integer.toString(total));
    f.put("Type", type);
    return f;
  }

  private void printVerbose(DiskUsage usage) {
    PrintWriter out = session.out();
    out.println("Images space usage:");
    out.println();
    Instant now = Instant.now();
    List<Map<String, String>> rows = new ArrayList<>();
    for (ImageSummary image : usage.images()) {
      for (ImageRows.Row row : ImageRows.of(image, false)) rows.add(verboseFields(image, row, now));
    }
    new OutputFormat("table").print(rows, VERBOSE_IMAGES, ImagesCommand.HEADERS, out);
    out.println();
    out.println("Containers space usage:");
    out.println();
    out.println(new Table("CONTAINER ID", "IMAGE", "COMMAND", "LOCAL VOLUMES", "SIZE", "CREATED", "STATUS", "NAMES")
        .render().stripTrailing());
    out.println();
    out.println("Local Volumes space usage:");
    out.println();
    out.println(new Table("VOLUME NAME", "LINKS", "SIZE").render().stripTrailing());
    out.println();
    out.println("Build cache usage: 0B");
    out.println();
    out.println(new Table("CACHE ID", "CACHE TYPE", "SIZE", "CREATED", "LAST USED", "USAGE", "SHARED")
        .render().stripTrailing());
    out.flush();
  }

  private static Map<String, String> verboseFields(ImageSummary image, ImageRows.Row row, Instant now) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Repository", row.repository());
    f.put("Tag", row.tag());
    f.put("ID", Display.truncateId(image.id().toString()));
    f.put("CreatedSince", Display.since(image.created(), now));
    f.put("CreatedAt", Display.goTime(image.created(), ZoneId.systemDefault()));
    f.put("Size", HumanUnits.humanSize(image.size(), 3));
    f.put("SharedSize", HumanUnits.humanSize(image.sharedSize()));
    f.put("UniqueSize", HumanUnits.humanSize(image.uniqueSize()));
    f.put("Containers", Integer.toString(Math.max(image.containers(), 0)));
    return f;
  }
}
