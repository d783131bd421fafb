package io.strata.oci;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * ChainIDs name a stack of layers (image-spec config.md): {@code chainID(L0) = diffID(L0)},
 * {@code chainID(Ln) = sha256(chainID(Ln-1) + " " + diffID(Ln))} over the text of the digests.
 * Snapshots and the unpack cache are keyed by them.
 */
public final class ChainIds {
  private ChainIds() {}

  /** The chainID of every prefix of {@code diffIds}: element i names layers 0..i. */
  public static List<Digest> chainIds(List<Digest> diffIds) {
    List<Digest> out = new ArrayList<>(diffIds.size());
    Digest chain = null;
    for (Digest diffId : diffIds) {
      chain = chain == null ? diffId : next(chain, diffId);
      out.add(chain);
    }
    return List.copyOf(out);
  }

  /** The chainID of the whole stack; null for no layers. */
  public static Digest chainId(List<Digest> diffIds) {
    List<Digest> all = chainIds(diffIds);
    return all.isEmpty() ? null : all.getLast();
  }

  private static Digest next(Digest parent, Digest diffId) {
    byte[] text = (parent + " " + diffId).getBytes(StandardCharsets.US_ASCII);
    return Digest.sha256(text);
  }
}
