package io.strata.cli;

import io.strata.image.HistoryEntry;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata history}: IMAGE CREATED CREATED BY SIZE COMMENT, newest first, with
 * {@code <missing>} for steps that have no image of their own and 0B for metadata-only steps.
 */
@Command(name = "history", description = "Show the history of an image")
final class HistoryCommand implements Callable<Integer> {
  @Mixin HelpOption help;
  static final String TABLE = "table {{.ID}}\\t{{.CreatedSince}}\\t{{.CreatedBy}}\\t{{.Size}}\\t{{.Comment}}";
  static final String TABLE_NON_HUMAN = "table {{.ID}}\\t{{.CreatedAt}}\\t{{.CreatedBy}}\\t{{.Size}}\\t{{.Comment}}";
  static final Map<String, String> HEADERS = Map.of("ID", "IMAGE", "CreatedSince", "CREATED",
      "CreatedAt", "CREATED AT", "CreatedBy", "CREATED BY", "Size", "SIZE", "Comment", "COMMENT");

  private final Session session;

  @Option(names = {"-H", "--human"}, arity = "0..1", defaultValue = "true", fallbackValue = "true",
      description = "Print sizes and dates in human readable format (default true; -H=false for bytes and RFC 3339)")
  boolean human = true;
  @Option(names = "--no-trunc", description = "Don't truncate output")
  boolean noTrunc;
  @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
  boolean quiet;
  @Option(names = "--format", paramLabel = "FORMAT", description = "Format output: 'table', 'json' or a template")
  String format;
  @Parameters(index = "0", paramLabel = "IMAGE")
  String image;

  HistoryCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    List<HistoryEntry> entries = session.images().history(image);
    Instant now = Instant.now();
    List<Map<String, String>> rows = new ArrayList<>();
    for (HistoryEntry e : entries) rows.add(fields(e, now));
    String chosen = quiet ? "{{.ID}}" : format;
    new OutputFormat(chosen).print(rows, human ? TABLE : TABLE_NON_HUMAN, HEADERS, session.out());
    return ExitCodes.OK;
  }

  private Map<String, String> fields(HistoryEntry e, Instant now) {
    Map<String, String> f = new LinkedHashMap<>();
    String createdBy = e.createdBy() == null ? "" : e.createdBy().replace('\t', ' ');
    String createdAt = Display.rfc3339(e.created(), ZoneId.systemDefault());
    f.put("Comment", e.comment() == null ? "" : e.comment());
    f.put("CreatedAt", createdAt);
    f.put("CreatedBy", noTrunc ? createdBy : Display.ellipsis(createdBy, 45));
    f.put("CreatedSince", human ? Display.since(e.created(), now) : createdAt);
    f.put("ID", noTrunc ? e.id() : Display.truncateId(e.id()));
    f.put("Size", human ? HumanUnits.humanSize(e.size(), 3) : Long.toString(e.size()));
    return f;
  }
}
