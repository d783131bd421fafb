package io.strata.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.strata.errdefs.InvalidArgumentException;
import java.util.List;
import java.util.Locale;

/** The platform an image or manifest is for (OCI image-index {@code platform}); arch names are Go's GOARCH. */
@JsonPropertyOrder({"architecture", "os", "os.version", "os.features", "variant"})
public record Platform(
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("os.version") @JsonInclude(JsonInclude.Include.NON_EMPTY) String osVersion,
    @JsonProperty("os.features") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> osFeatures,
    @JsonProperty("variant") @JsonInclude(JsonInclude.Include.NON_EMPTY) String variant) {

  public Platform {
    if (architecture == null || os == null) {
      throw new InvalidArgumentException("platform: architecture and os are required");
    }
    osFeatures = Values.list(osFeatures, "platform os.features");
  }

  public static Platform of(String os, String architecture, String variant) {
    return new Platform(architecture, os, null, null, variant);
  }

  /** The platform this JVM runs on: linux plus the GOARCH-style name of {@code os.arch}. */
  public static Platform current() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> of("linux", "amd64", null);
      case "aarch64", "arm64" -> of("linux", "arm64", "v8");
      case "arm" -> of("linux", "arm", "v7");
      case "x86", "i386", "i686" -> of("linux", "386", null);
      case "ppc64le", "s390x", "riscv64" -> of("linux", arch, null);
      default -> of("linux", arch, null);
    };
  }

  /** {@code os/arch[/variant]}, as docker prints platforms. */
  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
  }
}
