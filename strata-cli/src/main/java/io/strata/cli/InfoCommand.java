package io.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/**
 * {@code strata info}: Docker's {@code docker info} layout, a Client section and a Server section
 * with the store in the daemon's place; {@code --format} is a Go template over the fields of
 * Docker's Info ({@code {{.Containers}}}, {@code {{json .}}}). Warnings go to stderr, as Docker's.
 */
final class InfoCommand extends CliCommand {
  InfoCommand(Session session) {
    super(session, "info", "Display system-wide information");
    option("string", "Format output using a custom template: 'json' or a Go template", "-f", "--format");
  }

  @Override
  public Integer call() {
    ObjectNode info = SystemInfo.of(session);
    PrintWriter out = session.out();
    String format = value("--format");
    if (format != null && !format.isBlank()) {
      String template = format.strip().equals("json") ? "{{json .}}" : OutputFormat.unescape(format);
      out.println(InspectTemplate.expand(template, info));
      out.flush();
      return ExitCodes.OK;
    }
    client(out, info.path("ClientInfo"));
    out.println();
    server(out, info);
    out.flush();
    for (JsonNode w : info.path("Warnings")) session.streams().err().println(w.asText());
    return ExitCodes.OK;
  }

  private static void client(PrintWriter out, JsonNode client) {
    out.println("Client:");
    out.println(" Version:    " + client.path("Version").asText());
    out.println(" Debug Mode: " + client.path("Debug").asBoolean());
  }

  private static void server(PrintWriter out, JsonNode i) {
    out.println("Server:");
    out.println(" Containers: " + i.path("Containers").asLong());
    out.println("  Running: " + i.path("ContainersRunning").asLong());
    out.println("  Paused: " + i.path("ContainersPaused").asLong());
    out.println("  Stopped: " + i.path("ContainersStopped").asLong());
    out.println(" Images: " + i.path("Images").asLong());
    out.println(" Server Version: " + i.path("ServerVersion").asText());
    out.println(" Storage Driver: " + i.path("Driver").asText());
    for (JsonNode kv : i.path("DriverStatus")) out.println("  " + kv.get(0).asText() + ": " + kv.get(1).asText());
    out.println(" Logging Driver: " + i.path("LoggingDriver").asText());
    out.println(" Cgroup Driver: " + i.path("CgroupDriver").asText());
    out.println(" Cgroup Version: " + i.path("CgroupVersion").asText());
    out.println(" Plugins:");
    out.println("  Volume: " + words(i.path("Plugins").path("Volume")));
    out.println("  Network: " + words(i.path("Plugins").path("Network")));
    out.println("  Log: " + words(i.path("Plugins").path("Log")));
    out.println(" Runtimes: " + words(runtimeNames(i.path("Runtimes"))));
    out.println(" Default Runtime: " + i.path("DefaultRuntime").asText());
    out.println(" Init Binary: " + i.path("InitBinary").asText());
    out.println(" runc version: " + i.path("RuncCommit").path("ID").asText());
    out.println(" Kernel Version: " + i.path("KernelVersion").asText());
    out.println(" Operating System: " + i.path("OperatingSystem").asText());
    out.println(" OSType: " + i.path("OSType").asText());
    out.println(" Architecture: " + i.path("Architecture").asText());
    out.println(" CPUs: " + i.path("NCPU").asInt());
    out.println(" Total Memory: " + HumanUnits.bytesSize(i.path("MemTotal").asLong()));
    out.println(" Name: " + i.path("Name").asText());
    out.println(" Docker Root Dir: " + i.path("DockerRootDir").asText());
    out.println(" Debug Mode: " + i.path("Debug").asBoolean());
    for (String proxy : new String[] {"HttpProxy", "HttpsProxy", "NoProxy"}) {
      if (!i.path(proxy).asText().isEmpty()) out.println(" " + proxyTitle(proxy) + ": " + i.path(proxy).asText());
    }
    out.println(" Registry: " + i.path("IndexServerAddress").asText());
    out.println(" Labels:");
    out.println(" Experimental: " + i.path("ExperimentalBuild").asBoolean());
    out.println(" Insecure Registries:");
    i.path("RegistryConfig").path("IndexConfigs").forEach(c -> {
      if (!c.path("Secure").asBoolean()) out.println("  " + c.path("Name").asText());
    });
    for (JsonNode cidr : i.path("RegistryConfig").path("InsecureRegistryCIDRs")) out.println("  " + cidr.asText());
    JsonNode mirrors = i.path("RegistryConfig").path("IndexConfigs").path("docker.io").path("Mirrors");
    if (!mirrors.isEmpty()) {
      out.println(" Registry Mirrors:");
      for (JsonNode m : mirrors) out.println("  " + m.asText());
    }
    out.println(" Live Restore Enabled: " + i.path("LiveRestoreEnabled").asBoolean());
  }

  private static JsonNode runtimeNames(JsonNode runtimes) {
    com.fasterxml.jackson.databind.node.ArrayNode names = io.strata.oci.Json.mapper().createArrayNode();
    runtimes.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String words(JsonNode array) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode n : array) sb.append(sb.isEmpty() ? "" : " ").append(n.asText());
    return sb.toString();
  }

  /** Docker's titles: "HTTP Proxy", "HTTPS Proxy", "No Proxy". */
  private static String proxyTitle(String field) {
    return switch (field) {
      case "HttpProxy" -> "HTTP Proxy";
      case "HttpsProxy" -> "HTTPS Proxy";
      default -> "No Proxy";
    };
  }
}
