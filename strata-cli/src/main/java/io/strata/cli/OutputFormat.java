package io.strata.cli;

import io.strata.cli.template.DockerFuncs;
import io.strata.cli.template.Func;
import io.strata.cli.template.Row;
import io.strata.cli.template.Struct;
import io.strata.cli.template.Template;
import io.strata.cli.template.TemplateException;
import io.strata.cli.template.Values;
import io.strata.errdefs.InvalidArgumentException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * docker's {@code --format} for listings, as the Docker CLI's formatter package does it: {@code table}
 * (the command's default columns), {@code json} (one object per line, as {@code {{json .}}}),
 * {@code table TEMPLATE} (a header row from the columns' titles, then the rows aligned by a
 * tabwriter), or a plain TEMPLATE printed once per row. Templates are Go's {@code text/template}
 * with Docker's functions ({@link DockerFuncs}); {@code \t} and {@code \n} in the format are tab and
 * newline. A template that does not parse or execute fails with
 * {@code template parsing error: template: ...} (exit 1) and prints nothing.
 */
public final class OutputFormat {
  private final String format;

  public OutputFormat(String format) {
    this.format = format == null || format.isBlank() ? "table" : format.strip();
  }

  public boolean isJson() {
    return format.equals("json");
  }

  /**
   * Prints {@code rows} of named string fields; {@code defaultTable} is the command's "table"
   * template and {@code headers} maps field names to column titles (a missing title is the name
   * upper-cased). A field named in {@code headers} but absent from a row is "".
   */
  public void print(List<Map<String, String>> rows, String defaultTable, Map<String, String> headers,
                    PrintWriter out) {
    String goType = goType(headers);
    List<Row> structs = new ArrayList<>(rows.size());
    for (Map<String, String> row : rows) {
      Map<String, String> fields = new LinkedHashMap<>();
      headers.keySet().forEach(k -> fields.put(k, ""));
      fields.putAll(row);
      structs.add(Row.of(goType, fields));
    }
    printRows(structs, defaultTable, headers, out);
  }

  /**
   * Prints rows that are struct-like values ({@link Row}: fields and methods such as
   * {@code .Label "name"}), as {@link #print} does for rows of strings.
   */
  public void printRows(List<? extends Struct> rows, String defaultTable, Map<String, String> headers,
                        PrintWriter out) {
    String spec = format.equals("table") ? defaultTable : format.equals("json") ? "{{json .}}" : format;
    boolean table = spec.startsWith("table");
    Template template = parse(unescape(trimSpaces(table ? spec.substring("table".length()) : spec)));
    StringBuilder body = new StringBuilder();
    for (Struct row : rows) {
      try {
        template.execute(row, body);
      } catch (TemplateException e) {
        throw new InvalidArgumentException("template parsing error: " + e.getMessage());
      }
      body.append('\n');
    }
    if (!table) {
      out.print(body);
      out.flush();
      return;
    }
    StringBuilder text = new StringBuilder();
    try {
      template.withFuncs(DockerFuncs.header()).execute(headerData(rows, headers), text);
    } catch (TemplateException e) {
      // as docker: the header row is what the template printed before it failed
    }
    text.append('\n').append(body);
    Table aligned = Table.headless();
    String[] lines = text.toString().split("\n", -1);
    for (int i = 0; i < lines.length - 1; i++) aligned.row(lines[i].split("\t", -1));
    aligned.print(out);
  }

  /** Docker's {@code templates.Parse} of a listing format, failing as docker does. */
  static Template parse(String template) {
    try {
      return DockerFuncs.parse(template);
    } catch (TemplateException e) {
      throw new InvalidArgumentException("template parsing error: " + e.getMessage());
    }
  }

  /**
   * What a table's header row is executed on: Docker's {@code SubHeaderContext}, a map from field
   * names to column titles whose {@code Label} method titles a label column by its last dotted part.
   */
  private static Object headerData(List<? extends Struct> rows, Map<String, String> headers) {
    Map<String, String> titles = new LinkedHashMap<>();
    for (Struct row : rows) {
      for (String name : row.fieldNames()) titles.put(name, name.toUpperCase(Locale.ROOT));
    }
    titles.putAll(headers);
    Func label = Func.of("Label", args -> {
      String name = (String) args.getFirst();
      return name.substring(name.lastIndexOf('.') + 1).replace('-', ' ').replace('_', ' ');
    }, Func.Type.STRING);
    return Values.mapWithMethods(titles, Map.of("Label", label));
  }

  /** The Go type docker's formatter context for these columns has, for messages. */
  private static String goType(Map<String, String> headers) {
    if (headers.containsKey("Repository") && headers.containsKey("Tag")) return "*formatter.ImageContext";
    if (headers.containsKey("CreatedBy")) return "*image.historyContext";
    if (headers.containsKey("Names") && headers.containsKey("Image")) return "*formatter.ContainerContext";
    if (headers.containsKey("Reclaimable")) return "*formatter.diskUsageContext";
    return "*formatter.Context";
  }

  /** Docker's {@code strings.Trim(format, " ")}. */
  private static String trimSpaces(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == ' ') start++;
    while (end > start && s.charAt(end - 1) == ' ') end--;
    return s.substring(start, end);
  }

  /** Docker's {@code strings.NewReplacer(`\t`, "\t", `\n`, "\n")}. */
  static String unescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == 't' || s.charAt(i + 1) == 'n')) {
        sb.append(s.charAt(++i) == 't' ? '\t' : '\n');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
