package io.strata.cli;

import io.strata.image.ImageService.ListOptions;
import io.strata.image.ImageSummary;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata images} / {@code strata image ls}: docker's listing, row per repository and tag. */
@Command(name = "images", description = "List images")
final class ImagesCommand implements Callable<Integer> {
  @Mixin HelpOption help;
  static final String TABLE = "table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}\\t{{.CreatedSince}}\\t{{.Size}}";
  static final String TABLE_DIGESTS =
      "table {{.Repository}}\\t{{.Tag}}\\t{{.Digest}}\\t{{.ID}}\\t{{.CreatedSince}}\\t{{.Size}}";
  static final Map<String, String> HEADERS = headers();

  private final Session session;

  @Option(names = {"-a", "--all"}, description = "Show all images (default hides intermediate images)")
  boolean all;
  @Option(names = "--digests", description = "Show digests")
  boolean digests;
  @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
  boolean quiet;
  @Option(names = "--no-trunc", description = "Don't truncate output")
  boolean noTrunc;
  @Option(names = {"-f", "--filter"}, paramLabel = "FILTER",
      description = "Filter output based on conditions provided (dangling=true|false, reference=PATTERN)")
  List<String> filters = new ArrayList<>();
  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Format output: 'table', 'json', 'table TEMPLATE' or 'TEMPLATE' ({{.Repository}}, {{json .}})")
  String format;
  @Parameters(arity = "0..1", paramLabel = "[REPOSITORY[:TAG]]", description = "Only images matching this reference")
  String reference;

  ImagesCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    ListOptions options = listOptions();
    List<ImageSummary> images = new ArrayList<>(session.images().list(options));
    images.sort(Comparator.comparing((ImageSummary s) -> s.created() == null ? Instant.EPOCH : s.created()).reversed());
    List<Map<String, String>> rows = new ArrayList<>();
    Instant now = Instant.now();
    for (ImageSummary image : images) {
      for (ImageRows.Row row : ImageRows.of(image, digests)) rows.add(fields(image, row, now));
    }
    String chosen = quiet ? "{{.ID}}" : format;
    new OutputFormat(chosen).print(rows, digests ? TABLE_DIGESTS : TABLE, HEADERS, session.out());
    return ExitCodes.OK;
  }

  private ListOptions listOptions() {
    Boolean dangling = null;
    List<String> patterns = new ArrayList<>();
    if (reference != null) patterns.add(reference);
    for (String filter : filters) {
      int eq = filter.indexOf('=');
      if (eq <= 0) throw new ExitCodes.UsageException("bad format of filter (expected name=value): " + filter);
      String key = filter.substring(0, eq);
      String value = filter.substring(eq + 1);
      switch (key) {
        case "dangling" -> dangling = switch (value.toLowerCase()) {
          case "true", "1" -> true;
          case "false", "0" -> false;
          default -> throw new io.strata.errdefs.InvalidArgumentException(
              "invalid filter 'dangling=" + value + "': expected true or false");
        };
        case "reference" -> patterns.add(value);
        default -> throw new io.strata.errdefs.InvalidArgumentException("invalid filter '" + key + "'");
      }
    }
    return new ListOptions(all, dangling, patterns);
  }

  private Map<String, String> fields(ImageSummary image, ImageRows.Row row, Instant now) {
    String id = image.id().toString();
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Containers", image.containers() < 0 ? "N/A" : Integer.toString(image.containers()));
    f.put("CreatedAt", Display.goTime(image.created(), ZoneId.systemDefault()));
    f.put("CreatedSince", Display.since(image.created(), now));
    f.put("Digest", row.digest());
    f.put("ID", noTrunc ? id : Display.truncateId(id));
    f.put("Repository", row.repository());
    f.put("SharedSize", image.sharedSize() < 0 ? "N/A" : HumanUnits.humanSize(image.sharedSize()));
    f.put("Size", HumanUnits.humanSize(image.size(), 3));
    f.put("Tag", row.tag());
    f.put("UniqueSize", image.uniqueSize() < 0 ? "N/A" : HumanUnits.humanSize(image.uniqueSize()));
    f.put("VirtualSize", HumanUnits.humanSize(image.size()));
    return f;
  }

  private static Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Containers", "CONTAINERS");
    h.put("CreatedAt", "CREATED AT");
    h.put("CreatedSince", "CREATED");
    h.put("Digest", "DIGEST");
    h.put("ID", "IMAGE ID");
    h.put("Repository", "REPOSITORY");
    h.put("SharedSize", "SHARED SIZE");
    h.put("Size", "SIZE");
    h.put("Tag", "TAG");
    h.put("UniqueSize", "UNIQUE SIZE");
    h.put("VirtualSize", "VIRTUAL SIZE");
    return Map.copyOf(h);
  }
}
