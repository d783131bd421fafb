package io.strata.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code Config} of {@code docker image inspect}: the image config's {@code config} object as
 * docker prints it (Engine API container.Config): every field in docker's order, those without
 * {@code omitempty} always present ({@code ""}, {@code false} or {@code null}), values taken from
 * the stored config bytes so fields strata does not model (Hostname, Image, …) survive.
 */
final class DockerConfigView {
  private record Field(String name, JsonNode whenAbsent) {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final JsonNode OMIT = null;
  private static final List<Field> FIELDS = List.of(
      new Field("Hostname", F.textNode("")), new Field("Domainname", F.textNode("")),
      new Field("User", F.textNode("")), new Field("AttachStdin", F.booleanNode(false)),
      new Field("AttachStdout", F.booleanNode(false)), new Field("AttachStderr", F.booleanNode(false)),
      new Field("ExposedPorts", OMIT), new Field("Tty", F.booleanNode(false)),
      new Field("OpenStdin", F.booleanNode(false)), new Field("StdinOnce", F.booleanNode(false)),
      new Field("Env", F.nullNode()), new Field("Cmd", F.nullNode()), new Field("Healthcheck", OMIT),
      new Field("ArgsEscaped", OMIT), new Field("Image", F.textNode("")), new Field("Volumes", F.nullNode()),
      new Field("WorkingDir", F.textNode("")), new Field("Entrypoint", F.nullNode()),
      new Field("NetworkDisabled", OMIT), new Field("MacAddress", OMIT), new Field("OnBuild", F.nullNode()),
      new Field("Labels", F.nullNode()), new Field("StopSignal", OMIT), new Field("StopTimeout", OMIT),
      new Field("Shell", OMIT));

  private DockerConfigView() {}

  /** @param rawConfig the whole stored image config document */
  static ObjectNode of(JsonNode rawConfig) {
    return view(rawConfig.path("config"));
  }

  /**
   * {@code ContainerConfig}: the legacy {@code container_config} (the committed container's, or the
   * classic builder's last step's); Docker prints an empty container.Config when the image has none,
   * as for BuildKit's and imported images.
   */
  static ObjectNode containerConfig(JsonNode rawConfig) {
    return view(rawConfig.path("container_config"));
  }

  private static ObjectNode view(JsonNode source) {
    ObjectNode out = F.objectNode();
    for (Field f : FIELDS) {
      JsonNode v = source.get(f.name());
      if (v != null) out.set(f.name(), v);
      else if (f.whenAbsent() != null) out.set(f.name(), f.whenAbsent());
    }
    return out;
  }
}
