package io.strata.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PipelinedTest {
  @Test
  void theSinkGetsEveryByteInOrder() {
    byte[] data = new byte[5 * (1 << 20) + 12345];
    new Random(7).nextBytes(data);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    Pipelined.write(out -> {
      try {
        for (int off = 0; off < data.length; ) {
          int n = Math.min(data.length - off, 1 + (off % 70001));
          out.write(data, off, n);
          off += n;
        }
        out.write(7);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, sink);
    byte[] expected = java.util.Arrays.copyOf(data, data.length + 1);
    expected[data.length] = 7;
    assertArrayEquals(expected, sink.toByteArray());
  }

  @Test
  void nothingWrittenIsAnEmptyStream() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    Pipelined.write(out -> {}, sink);
    assertEquals(0, sink.size());
  }

  @Test
  void aProducerFailureIsThrownHere() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Pipelined.write(out -> {
      try {
        out.write(new byte[3 << 20]);
      } catch (IOException io) {
        throw new UncheckedIOException(io);
      }
      throw new IllegalStateException("tar failed");
    }, OutputStream.nullOutputStream()));
    assertEquals("tar failed", e.getMessage());
  }

  @Test
  void aSinkFailureStopsTheProducer() {
    OutputStream failing = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("disk full");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("disk full");
      }
    };
    java.util.concurrent.atomic.AtomicBoolean producerEnded = new java.util.concurrent.atomic.AtomicBoolean();
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Pipelined.write(out -> {
      try {
        for (int i = 0; i < 1000; i++) out.write(new byte[1 << 20]); // would block forever on a full queue
      } catch (IOException io) {
        throw new UncheckedIOException(io);
      } finally {
        producerEnded.set(true);
      }
    }, failing));
    assertEquals("disk full", e.getCause().getMessage());
    assertTrue(producerEnded.get(), "the producer has stopped before the failure is thrown: the caller may clean up");
  }
}
