package io.strata.cli.interop;

import static io.strata.cli.interop.ExternalTools.require;
import static io.strata.cli.interop.ExternalTools.requireRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.oci.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker load accepts strata's save and agrees on ID, layers, config and history; docker save loads into strata. */
class DockerInteropTest {
  private static final String DOCKER_REF = "strata-it/docker-made:1";
  private static final String STRATA_REF = "strata-it/strata-made:1";

  @TempDir static Path shared;
  private static Dockerd docker;

  @TempDir Path tmp;

  @BeforeAll
  static void startDockerd() throws Exception {
    require("docker");
    require("dockerd");
    requireRoot();
    docker = Dockerd.start(shared);
  }

  @AfterAll
  static void stopDockerd() throws Exception {
    if (docker == null) return;
    for (String ref : List.of(DOCKER_REF, STRATA_REF)) ExternalTools.exec(docker.cmd("rmi", "-f", ref));
    docker.close();
  }

  @Test
  void dockerSaveLoadsIntoStrataWithDockersIdAndLayers() throws IOException {
    Path rootfs = tmp.resolve("rootfs.tar");
    Files.write(rootfs, StrataCli.busyboxRootfs());
    docker.run("import", "-c", "CMD [\"sh\"]", "-c", "ENV A=1", rootfs.toString(), DOCKER_REF);
    Path archive = tmp.resolve("docker.tar");
    docker.run("save", "-o", archive.toString(), DOCKER_REF);
    JsonNode theirs = inspectDocker(DOCKER_REF);

    StrataCli strata = new StrataCli(tmp.resolve("store"));
    strata.ok("load", "-i", archive.toString());
    JsonNode ours = strata.inspect(DOCKER_REF);
    assertEquals(theirs.path("Id").asText(), ours.path("Id").asText());
    assertEquals(StrataCli.layers(theirs), StrataCli.layers(ours));
    assertEquals(theirs.path("Config").path("Cmd"), ours.path("Config").path("Cmd"));
    assertEquals(theirs.path("Config").path("Env"), ours.path("Config").path("Env"));
  }

  @Test
  void dockerLoadsStratasSaveAndAgreesOnInspectAndHistory() throws IOException {
    StrataCli strata = new StrataCli(tmp.resolve("store"));
    Path rootfs = tmp.resolve("rootfs.tar");
    Files.write(rootfs, StrataCli.busyboxRootfs());
    strata.ok("import", "-c", "CMD [\"sh\"]", "-c", "ENV PATH=/bin", "-c", "WORKDIR /home/user",
        "-c", "LABEL org.example.k=v", "-m", "made by strata", rootfs.toString(), STRATA_REF);
    Path archive = tmp.resolve("strata.tar");
    strata.ok("save", "-o", archive.toString(), STRATA_REF);
    String loaded = docker.run("load", "-i", archive.toString());
    assertEquals("Loaded image: " + STRATA_REF, loaded.strip());

    JsonNode ours = strata.inspect(STRATA_REF);
    JsonNode theirs = inspectDocker(STRATA_REF);
    assertEquals(ours.path("Id").asText(), theirs.path("Id").asText());
    assertEquals(StrataCli.layers(ours), StrataCli.layers(theirs));
    for (String field : List.of("Cmd", "Env", "WorkingDir", "Labels", "Entrypoint")) {
      assertEquals(ours.path("Config").path(field), theirs.path("Config").path(field), "Config." + field);
    }
    assertEquals(ours.path("Comment").asText(), theirs.path("Comment").asText());
    assertEquals(ours.path("Architecture").asText(), theirs.path("Architecture").asText());

    // history: same rows, same CREATED BY and COMMENT, sizes as each prints them
    String format = "{{.CreatedBy}}|{{.Comment}}";
    List<String> dockerRows = lines(docker.run("history", "--no-trunc", "--format", format, STRATA_REF));
    List<String> strataRows = lines(strata.ok("history", "--no-trunc", "--format", format, STRATA_REF));
    assertEquals(dockerRows, strataRows);
    assertEquals(List.of("|made by strata"), strataRows);
  }

  private static JsonNode inspectDocker(String ref) {
    return Json.read(docker.run("image", "inspect", ref).getBytes(StandardCharsets.UTF_8), JsonNode.class,
        "docker inspect").get(0);
  }

  private static List<String> lines(String s) {
    return Arrays.stream(s.split("\n")).filter(l -> !l.isBlank()).toList();
  }
}
