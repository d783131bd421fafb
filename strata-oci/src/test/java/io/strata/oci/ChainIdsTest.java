package io.strata.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainIdsTest {
  // diffIDs: sha256 of the texts "layer0", "layer1", "layer2"; obtained with
  //   printf 'layer0' | sha256sum   (and likewise for layer1, layer2)
  private static final Digest L0 = Digest.parse("sha256:4fbec69b941195fd56f8212a5000e304129451d82efca94ff0e0fb2d5355472e");
  private static final Digest L1 = Digest.parse("sha256:77ea7eee3d80b1a38f83906dd3048e2689457eb90e18a7d12f839c5ae37106a2");
  private static final Digest L2 = Digest.parse("sha256:95cf1a2e1698fe3ca1fcc3f653119146b271d0b62e487ec264441e886a11bd06");
  // chain IDs computed independently in the shell:
  //   printf '%s' 'sha256:4fbe…472e sha256:77ea…06a2' | sha256sum            -> C01
  //   printf '%s' 'sha256:<C01> sha256:95cf…bd06' | sha256sum                -> C012
  private static final Digest C01 = Digest.parse("sha256:ef232af0eb422cdfd7917631657cd8ed2bfd5b9461b37c427aa0d3e0a19adf79");
  private static final Digest C012 = Digest.parse("sha256:7ad3896338947cc04ee0b35b50d400ff32538d63f42f85ec87feac78bf71a54d");

  @Test
  void diffIdsAreTheTextDigests() {
    assertEquals(L0, Digest.sha256("layer0".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void chainOfThreeLayers() {
    assertEquals(List.of(L0, C01, C012), ChainIds.chainIds(List.of(L0, L1, L2)));
    assertEquals(C012, ChainIds.chainId(List.of(L0, L1, L2)));
  }

  @Test
  void singleLayerChainIsItsDiffId() {
    assertEquals(L1, ChainIds.chainId(List.of(L1)));
  }

  @Test
  void orderMatters() {
    assertEquals(false, ChainIds.chainId(List.of(L1, L0)).equals(C01));
  }

  @Test
  void noLayersHasNoChain() {
    assertNull(ChainIds.chainId(List.of()));
    assertEquals(List.of(), ChainIds.chainIds(List.of()));
  }
}
