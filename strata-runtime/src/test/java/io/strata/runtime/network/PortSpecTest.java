package io.strata.runtime.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.strata.errdefs.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Docker's {@code -p} grammar. */
class PortSpecTest {
  @Test
  void theFormsDockerAccepts() {
    assertEquals(List.of(new PortSpec("0.0.0.0", 0, 80, "tcp")), PortSpec.parse("80"));
    assertEquals(List.of(new PortSpec("0.0.0.0", 8080, 80, "tcp")), PortSpec.parse("8080:80"));
    assertEquals(List.of(new PortSpec("127.0.0.1", 0, 80, "tcp")), PortSpec.parse("127.0.0.1::80"));
    assertEquals(List.of(new PortSpec("127.0.0.1", 53, 53, "udp")), PortSpec.parse("127.0.0.1:53:53/udp"));
    assertEquals(List.of(new PortSpec("::1", 8080, 80, "tcp")), PortSpec.parse("[::1]:8080:80"));
    assertEquals(List.of(new PortSpec("0.0.0.0", 9000, 90, "tcp"), new PortSpec("0.0.0.0", 9001, 91, "tcp")),
        PortSpec.parse("9000-9001:90-91"));
    assertEquals("80/tcp -> [::1]:8080", PortSpec.parse("[::1]:8080:80").getFirst().describe());
  }

  @Test
  void badSpecsSayWhatIsWrong() {
    assertEquals("invalid publish spec \"80/sctp\": protocol must be tcp or udp", message("80/sctp"));
    assertEquals("invalid publish spec \"70000\": invalid port 70000", message("70000"));
    assertEquals("invalid publish spec \"1:2:3:4\": too many colons", message("1:2:3:4"));
    assertEquals("invalid publish spec \"9000-9002:90-91\": host and container port ranges differ in size", message("9000-9002:90-91"));
    assertEquals("invalid publish spec \"91-90\": bad port range 91-90", message("91-90"));
    assertEquals("invalid publish spec \"[::1:80\": unclosed [", message("[::1:80"));
  }

  private static String message(String spec) {
    return assertThrows(InvalidArgumentException.class, () -> PortSpec.parse(spec)).getMessage();
  }
}
