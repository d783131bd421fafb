package io.strata.cli;

import io.strata.image.HistoryEntry;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code strata history}: IMAGE CREATED CREATED BY SIZE COMMENT, newest first, with
 * {@code <missing>} for steps that have no image of their own and 0B for metadata-only steps.
 */
final class HistoryCommand extends CliCommand {
  static final String TABLE = "table {{.ID}}\\t{{.CreatedSince}}\\t{{.CreatedBy}}\\t{{.Size}}\\t{{.Comment}}";
  static final String TABLE_NON_HUMAN = "table {{.ID}}\\t{{.CreatedAt}}\\t{{.CreatedBy}}\\t{{.Size}}\\t{{.Comment}}";
  static final Map<String, String> HEADERS = Map.of("ID", "IMAGE", "CreatedSince", "CREATED",
      "CreatedAt", "CREATED AT", "CreatedBy", "CREATED BY", "Size", "SIZE", "Comment", "COMMENT");

  private boolean human;
  private boolean noTrunc;

  HistoryCommand(Session session) {
    super(session, "history", "Show the history of an image");
    option("FORMAT", "Format output: 'table', 'json' or a template", "--format");
    add(OptionSpec.builder("-H", "--human").type(boolean.class).arity("0..1").defaultValue("true")
        .fallbackValue("true")
        .description("Print sizes and dates in human readable format (default true; -H=false: bytes, RFC 3339)")
        .build());
    flag("Don't truncate output", "--no-trunc");
    flag("Only show image IDs", "-q", "--quiet");
    positional("0", "1", "IMAGE", "The image");
  }

  @Override
  public Integer call() {
    human = isSet("--human");
    noTrunc = isSet("--no-trunc");
    List<HistoryEntry> entries = session.images().history(arg(0));
    Instant now = Instant.now();
    List<Map<String, String>> rows = new ArrayList<>();
    for (HistoryEntry e : entries) rows.add(fields(e, now));
    String chosen = isSet("--quiet") ? "{{.ID}}" : value("--format");
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
