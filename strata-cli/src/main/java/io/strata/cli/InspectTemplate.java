package io.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.cli.template.DockerFuncs;
import io.strata.cli.template.TemplateException;
import io.strata.errdefs.InvalidArgumentException;

/**
 * {@code inspect -f}: Go's {@code text/template} with Docker's functions over the inspected JSON,
 * as {@code docker inspect --format} (objects are maps: {@code .Config.Cmd}, {@code index .Config.Labels "k"},
 * {@code range .Mounts}, {@code json .Config}; values print as Go's {@code fmt} does). A template that
 * does not parse or execute fails with {@code template parsing error: ...} (exit 1).
 */
final class InspectTemplate {
  private InspectTemplate() {}

  static String expand(String template, JsonNode root) {
    try {
      return DockerFuncs.parse(template).execute(root);
    } catch (TemplateException e) {
      throw new InvalidArgumentException("template parsing error: " + e.getMessage());
    }
  }
}
