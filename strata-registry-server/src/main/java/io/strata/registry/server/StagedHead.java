package io.strata.registry.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * The first bytes of a write, in {@link #CHUNK}-byte chunks allocated as the bytes arrive, each
 * taken from a shared budget: the heap holds what clients sent, never what they announced, and all
 * of them together at most {@link #BUDGET_CHUNKS} chunks. Closing returns the chunks to the budget.
 */
final class StagedHead implements AutoCloseable {
  static final int CHUNK = 64 << 10;
  static final int BUDGET_CHUNKS = 1024; // 64 MiB for every staged head together

  private final Semaphore budget;
  private final List<byte[]> chunks = new ArrayList<>();
  private int size;

  private StagedHead(Semaphore budget) {
    this.budget = budget;
  }

  /** Reads {@code in} until it ends or {@code max} bytes are staged. */
  static StagedHead read(InputStream in, int max, Semaphore budget) throws IOException {
    StagedHead head = new StagedHead(budget);
    try {
      while (head.size < max) {
        int at = head.size % CHUNK;
        if (at == 0) {
          S3Storage.acquire(budget, "staging memory");
          head.chunks.add(new byte[CHUNK]);
        }
        int r = in.read(head.chunks.getLast(), at, Math.min(CHUNK - at, max - head.size));
        if (r < 0) break;
        head.size += r;
      }
      return head;
    } catch (IOException | RuntimeException e) {
      head.close();
      throw e;
    }
  }

  int size() {
    return size;
  }

  byte[] bytes() {
    byte[] out = new byte[size];
    copyTo(out);
    return out;
  }

  /** Copies the staged bytes to the start of {@code out}; returns how many. */
  int copyTo(byte[] out) {
    int at = 0;
    for (byte[] c : chunks) {
      int n = Math.min(CHUNK, size - at);
      System.arraycopy(c, 0, out, at, n);
      at += n;
    }
    return size;
  }

  @Override
  public void close() {
    budget.release(chunks.size());
    chunks.clear();
  }
}
