package io.strata.runtime.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.InvalidArgumentException;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The address arithmetic behind networks: subnets, gateways, free addresses, host routes. */
class SubnetsTest {
  @Test
  void addressesAreHandedOutLowestFirstSkippingTheNetworkAndBroadcast() {
    assertEquals("10.91.0.1", Subnets.firstHost("10.91.0.0/24"));
    assertEquals(Optional.of("10.91.0.3"), Subnets.lowestFree("10.91.0.0/24", Set.of("10.91.0.1", "10.91.0.2")));
    assertEquals(Optional.empty(), Subnets.lowestFree("10.0.0.0/30", Set.of("10.0.0.1", "10.0.0.2")));
    assertTrue(Subnets.contains("10.91.0.0/24", "10.91.0.254"));
    assertFalse(Subnets.contains("10.91.0.0/24", "10.91.0.255"), "the broadcast address");
    assertFalse(Subnets.contains("10.91.0.0/24", "10.91.0.0"), "the network address");
    assertFalse(Subnets.contains("10.91.0.0/24", "nonsense"));
  }

  @Test
  void overlapsAreFoundWhateverThePrefixes() {
    assertTrue(Subnets.overlap("10.90.0.0/16", "10.90.4.0/24"));
    assertFalse(Subnets.overlap("10.90.0.0/16", "10.91.0.0/24"));
    assertTrue(Subnets.overlapsRoute("10.91.3.0/24", "10.0.0.0/8"));
    assertTrue(Subnets.overlapsRoute("10.91.3.0/24", "10.91.3.7/32"));
    assertFalse(Subnets.overlapsRoute("10.91.3.0/24", "192.168.0.0/16"));
    for (String r : Subnets.hostRoutes()) assertTrue(r.matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+"), r);
  }

  @Test
  void badSubnetsAreRefused() {
    for (String bad : new String[] {"10.0.0.0", "10.0.0.1/24", "10.0.0.0/31", "10.0.0.0/4", "300.0.0.0/8", "a.b.c.d/8"}) {
      assertThrows(InvalidArgumentException.class, () -> Subnets.parse(bad), bad);
    }
  }
}
