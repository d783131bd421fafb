package io.strata.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker's {@code --format} for listings, over rows of named string fields: {@code table}
 * (the command's default columns), {@code json} (one object per line, as {@code {{json .}}}),
 * {@code table TEMPLATE} (a header from the fields' column titles, then a tabwriter table), or a
 * plain TEMPLATE printed once per row. Templates support the subset scripts use:
 * {@code {{.Field}}}, {@code {{json .}}}, {@code {{json .Field}}}, and the escapes {@code \t}, {@code \n}.
 */
public final class OutputFormat {
  private static final Pattern ACTION = Pattern.compile("\\{\\{\\s*(json\\s+)?\\.(\\w*)\\s*}}");

  private final String format;

  public OutputFormat(String format) {
    this.format = format == null || format.isBlank() ? "table" : format.strip();
  }

  public boolean isJson() {
    return format.equals("json");
  }

  /**
   * Prints {@code rows}; {@code defaultTable} is the command's "table" template and
   * {@code headers} maps field names to column titles (a missing title is the name upper-cased).
   */
  public void print(List<Map<String, String>> rows, String defaultTable, Map<String, String> headers,
                    PrintWriter out) {
    String spec = format.equals("table") ? defaultTable : format.equals("json") ? "{{json .}}" : format;
    expand(unescape(spec), headers, headers); // a bad template fails even when there are no rows
    if (spec.startsWith("table")) {
      String template = unescape(spec.substring("table".length()).strip());
      Table table = Table.headless();
      table.row(expand(template, headers, headers).split("\t", -1));
      for (Map<String, String> row : rows) table.row(expand(template, row, headers).split("\t", -1));
      table.print(out);
    } else {
      String template = unescape(spec);
      for (Map<String, String> row : rows) out.println(expand(template, row, headers));
      out.flush();
    }
  }

  private static String expand(String template, Map<String, String> values, Map<String, String> headers) {
    Matcher m = ACTION.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      boolean json = m.group(1) != null;
      String field = m.group(2);
      String replacement;
      if (field.isEmpty()) {
        if (!json) throw new ExitCodes.UsageException("template: {{.}} is not supported; use {{json .}}");
        replacement = jsonOf(values, headers);
      } else {
        if (!headers.containsKey(field)) {
          throw new ExitCodes.UsageException("template: can't evaluate field " + field);
        }
        String value = values.getOrDefault(field, "");
        if (json) {
          StringBuilder quoted = new StringBuilder();
          JsonLine.quote(quoted, value);
          value = quoted.toString();
        }
        replacement = value;
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String jsonOf(Map<String, String> values, Map<String, String> headers) {
    JsonLine line = new JsonLine();
    values.forEach(line::put);
    return line.toString();
  }

  private static String unescape(String template) {
    return template.replace("\\t", "\t").replace("\\n", "\n");
  }
}
