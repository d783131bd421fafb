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

/** {@code strata images} / {@code strata image ls}: docker's listing, row per repository and tag. */
final class ImagesCommand extends CliCommand {
  static final String TABLE = "table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}\\t{{.CreatedSince}}\\t{{.Size}}";
  static final String TABLE_DIGESTS =
      "table {{.Repository}}\\t{{.Tag}}\\t{{.Digest}}\\t{{.ID}}\\t{{.CreatedSince}}\\t{{.Size}}";
  static final Map<String, String> HEADERS = headers();

  private boolean all;
  private boolean digests;
  private boolean noTrunc;

  ImagesCommand(Session session) {
    super(session, "images", "List images");
    flag("Show all images (default hides intermediate images)", "-a", "--all");
    flag("Show digests", "--digests");
    repeatable("FILTER", "Filter output based on conditions provided (dangling=true|false, reference=PATTERN)",
        "-f", "--filter");
    option("FORMAT", "Format output: 'table', 'json', 'table TEMPLATE' or 'TEMPLATE' ({{.Repository}}, {{json .}})",
        "--format");
    flag("Don't truncate output", "--no-trunc");
    flag("Only show image IDs", "-q", "--quiet");
    positional("0", "0..1", "[REPOSITORY[:TAG]]", "Only images matching this reference");
  }

  @Override
  public Integer call() {
    all = isSet("--all");
    digests = isSet("--digests");
    noTrunc = isSet("--no-trunc");
    ListOptions options = listOptions();
    List<ImageSummary> images = new ArrayList<>(session.images().list(options));
    images.removeIf(image -> !matchesFilters(image));
    images.sort(Comparator.comparing((ImageSummary s) -> s.created() == null ? Instant.EPOCH : s.created()).reversed());
    List<Map<String, String>> rows = new ArrayList<>();
    Instant now = Instant.now();
    for (ImageSummary image : images) {
      for (ImageRows.Row row : ImageRows.of(image, digests)) rows.add(fields(image, row, now));
    }
    String chosen = isSet("--quiet") ? "{{.ID}}" : value("--format");
    new OutputFormat(chosen).print(rows, digests ? TABLE_DIGESTS : TABLE, HEADERS, session.out());
    return ExitCodes.OK;
  }

  private ListOptions listOptions() {
    Boolean dangling = null;
    List<String> patterns = new ArrayList<>();
    if (arg(0) != null) patterns.add(arg(0));
    for (String filter : values("--filter")) {
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
        case "label", "before", "since", "until" -> { } // applied to the listed images (matchesFilters)
        default -> throw new io.strata.errdefs.InvalidArgumentException("invalid filter '" + key + "'");
      }
    }
    return new ListOptions(all, dangling, patterns);
  }

  /**
   * Docker's {@code label=KEY[=VALUE]} (every one must hold), {@code before=IMAGE} and
   * {@code since=IMAGE} (created before or after that image), {@code until=TIME}.
   */
  private boolean matchesFilters(ImageSummary image) {
    Instant created = image.created() == null ? Instant.EPOCH : image.created();
    for (String filter : values("--filter")) {
      int eq = filter.indexOf('=');
      String key = filter.substring(0, eq);
      String value = filter.substring(eq + 1);
      boolean ok = switch (key) {
        case "label" -> {
          Map<String, String> labels = session.images().resolve(image.id().toString()).config().value().configOrEmpty().labels();
          int e = value.indexOf('=');
          yield labels != null && (e < 0 ? labels.containsKey(value) : value.substring(e + 1).equals(labels.get(value.substring(0, e))));
        }
        case "before" -> created.isBefore(createdOf(value));
        case "since" -> created.isAfter(createdOf(value));
        case "until" -> { // an empty time is Docker's Unix time 0: nothing is older
          Instant until = Timestamps.parse(value, Instant.now(), "until");
          yield created.isBefore(until == null ? Instant.EPOCH : until);
        }
        default -> true;
      };
      if (!ok) return false;
    }
    return true;
  }

  private Instant createdOf(String image) {
    Instant c = session.images().resolve(image).config().value().createdInstant();
    return c == null ? Instant.EPOCH : c;
  }

  private Map<String, String> fields(ImageSummary image, ImageRows.Row row, Instant now) {
    String id = image.id().toString();
    Map<String, String> f = new LinkedHashMap<>();
    // docker's image list leaves containers and shared sizes uncomputed (-1, "N/A"); system df -v has them
    f.put("Containers", "N/A");
    f.put("CreatedAt", Display.goTime(image.created(), ZoneId.systemDefault()));
    f.put("CreatedSince", Display.since(image.created(), now));
    f.put("Digest", row.digest());
    f.put("ID", noTrunc ? id : Display.truncateId(id));
    f.put("Repository", row.repository());
    f.put("SharedSize", "N/A");
    f.put("Size", HumanUnits.humanSize(image.size(), 3));
    f.put("Tag", row.tag());
    f.put("UniqueSize", "N/A");
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
