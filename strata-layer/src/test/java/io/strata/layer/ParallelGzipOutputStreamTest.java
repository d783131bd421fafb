package io.strata.layer;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParallelGzipOutputStreamTest {
  private static final int BLOCK = 128 * 1024;
  private static final int[] SIZES = {0, 1, BLOCK, BLOCK + 1, 5_000_000};
  private static final byte[] MIXED = mixed(5_000_000, 42);

  /** Alternating runs of text, random bytes and zeros, so blocks differ in compressibility. */
  static byte[] mixed(int size, long seed) {
    Random r = new Random(seed);
    byte[] text = "the quick brown fox jumps over the lazy dog; layer digest sha256:%d\n"
        .formatted(seed).repeat(40).getBytes();
    byte[] b = new byte[size];
    int i = 0;
    while (i < size) {
      int run = Math.min(size - i, 1 + r.nextInt(300_000));
      switch (r.nextInt(3)) {
        case 0 -> {
          for (int j = 0; j < run; j++) b[i + j] = text[(j + r.nextInt(2)) % text.length];
        }
        case 1 -> {
          byte[] rand = new byte[run];
          r.nextBytes(rand);
          System.arraycopy(rand, 0, b, i, run);
        }
        default -> {} // zeros
      }
      i += run;
    }
    return b;
  }

  /** Writes with odd-sized chunks (single bytes included), as tar writers do. */
  static byte[] compress(byte[] data, int level, int threads) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int[] chunks = {1, 7, 511, 4093, 65_537, 131_071, 131_073, 300_007};
    Random r = new Random(data.length);
    try (ParallelGzipOutputStream out = new ParallelGzipOutputStream(bytes, level, threads)) {
      int i = 0;
      while (i < data.length) {
        int n = Math.min(data.length - i, chunks[r.nextInt(chunks.length)]);
        if (n == 1) out.write(data[i]);
        else out.write(data, i, n);
        i += n;
      }
    }
    return bytes.toByteArray();
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (int size : SIZES) {
      for (int threads : new int[] {1, 2, 4}) {
        for (int level : new int[] {1, 6, 9}) cases.add(Arguments.of(size, threads, level));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "size={0} threads={1} level={2}")
  @MethodSource("cases")
  void roundTrip(int size, int threads, int level) throws Exception {
    byte[] data = Arrays.copyOf(MIXED, size);
    byte[] gz = compress(data, level, threads);
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertArrayEquals(data, in.readAllBytes());
    }
    assertSingleMember(gz, data);
  }

  /** Exactly one member: the fixed header, one deflate stream, then only the 8-byte trailer. */
  static void assertSingleMember(byte[] gz, byte[] data) throws DataFormatException {
    assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}, Arrays.copyOf(gz, 10));
    Inflater inf = new Inflater(true);
    try {
      inf.setInput(gz, 10, gz.length - 10);
      byte[] sink = new byte[64 * 1024];
      long total = 0;
      while (!inf.finished()) {
        int n = inf.inflate(sink);
        assertFalse(n == 0 && inf.needsInput(), "deflate stream truncated");
        total += n;
      }
      assertEquals(data.length, total);
      assertEquals(8, inf.getRemaining());
    } finally {
      inf.end();
    }
    CRC32 crc = new CRC32();
    crc.update(data);
    int t = gz.length - 8;
    assertEquals((int) crc.getValue(), le32(gz, t));
    assertEquals(data.length, le32(gz, t + 4));
  }

  static int le32(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
  }

  @Test
  void outputDoesNotDependOnThreadCount() throws IOException {
    byte[] one = compress(MIXED, 6, 1);
    assertArrayEquals(one, compress(MIXED, 6, 2));
    assertArrayEquals(one, compress(MIXED, 6, 4));
  }

  @Test
  void defaultConstructorRoundTrips() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new ParallelGzipOutputStream(bytes)) {
      out.write(MIXED);
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertArrayEquals(MIXED, in.readAllBytes());
    }
  }

  @ParameterizedTest
  @MethodSource("gzipCases")
  void systemGzipAccepts(int size, int threads, @TempDir Path dir) throws Exception {
    Path gzip = Stream.of("/bin/gzip", "/usr/bin/gzip").map(Path::of).filter(Files::isExecutable)
        .findFirst().orElse(null);
    Assumptions.assumeTrue(gzip != null, "gzip is not installed");
    byte[] data = Arrays.copyOf(MIXED, size);
    Path file = dir.resolve("out.gz");
    Files.write(file, compress(data, 6, threads));
    Process test = new ProcessBuilder(gzip.toString(), "-t", file.toString()).redirectErrorStream(true).start();
    String testOutput = new String(test.getInputStream().readAllBytes());
    assertEquals(0, test.waitFor(), "gzip -t: " + testOutput);
    Process dc = new ProcessBuilder(gzip.toString(), "-dc", file.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] decoded = dc.getInputStream().readAllBytes();
    assertEquals(0, dc.waitFor());
    assertArrayEquals(data, decoded);
  }

  static Stream<Arguments> gzipCases() {
    return Stream.of(Arguments.of(0, 2), Arguments.of(1, 1), Arguments.of(BLOCK, 2),
        Arguments.of(5_000_000, 1), Arguments.of(5_000_000, 4));
  }

  /** Without the 32 KiB dictionary each 128 KiB block would restart cold and cost far more. */
  @ParameterizedTest
  @MethodSource("levels")
  void ratioMatchesSerialGzip(int level) throws IOException {
    StringBuilder para = new StringBuilder();
    for (int i = 0; i < 60; i++) para.append("line ").append(i * 7919 % 1000).append(": usr/lib/x86_64-linux-gnu/libfoo.so.").append(i).append('\n');
    byte[] text = para.toString().repeat(8 * 1024 * 1024 / para.length() + 1).getBytes();
    text = Arrays.copyOf(text, 8 * 1024 * 1024);

    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(plain, 64 * 1024) {
      {
        def.setLevel(level);
      }
    }) {
      g.write(text);
    }
    byte[] parallel = compress(text, level, 4);
    assertTrue(parallel.length <= plain.size() * 1.10,
        "parallel " + parallel.length + " vs serial " + plain.size() + " bytes");
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(parallel))) {
      assertArrayEquals(text, in.readAllBytes());
    }
  }

  static Stream<Integer> levels() {
    return Stream.of(1, 6, 9);
  }

  /** Accepts the header, then fails. */
  static final class FailingStream extends OutputStream {
    boolean closed;
    private int left;

    FailingStream(int left) {
      this.left = left;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > left) throw new IOException("disk full");
      left -= len;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @ParameterizedTest
  @MethodSource("threadCounts")
  void underlyingFailureSurfacesAsIOException(int threads) throws IOException {
    FailingStream sink = new FailingStream(10 + 1000);
    ParallelGzipOutputStream out = new ParallelGzipOutputStream(sink, 6, threads);
    IOException e = assertThrows(IOException.class, () -> {
      try (out) {
        out.write(MIXED);
      }
    });
    assertTrue(hasMessage(e, "disk full"), () -> "unexpected " + e);
    assertTrue(sink.closed, "underlying stream closed");
    assertThrows(IOException.class, () -> out.write(1));
    out.close(); // second close is harmless
  }

  @ParameterizedTest
  @MethodSource("threadCounts")
  void failureAtCloseSurfacesAsIOException(int threads) throws IOException {
    FailingStream sink = new FailingStream(10);
    ParallelGzipOutputStream out = new ParallelGzipOutputStream(sink, 6, threads);
    out.write(MIXED, 0, 1000);
    IOException e = assertThrows(IOException.class, out::close);
    assertTrue(hasMessage(e, "disk full"), () -> "unexpected " + e);
    assertTrue(sink.closed);
    out.close();
  }

  static Stream<Integer> threadCounts() {
    return Stream.of(1, 2, 4);
  }

  static boolean hasMessage(Throwable t, String message) {
    for (; t != null; t = t.getCause()) {
      if (message.equals(t.getMessage())) return true;
    }
    return false;
  }

  @Test
  void closeTwiceAndWriteAfterClose() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ParallelGzipOutputStream out = new ParallelGzipOutputStream(bytes, 6, 2);
    out.write(MIXED, 0, 3 * BLOCK + 5);
    out.flush();
    out.close();
    int size = bytes.size();
    out.close();
    assertEquals(size, bytes.size());
    assertThrows(IOException.class, () -> out.write(MIXED, 0, 10));
    assertSingleMemberQuietly(bytes.toByteArray(), Arrays.copyOf(MIXED, 3 * BLOCK + 5));
  }

  @Test
  void flushEmitsDispatchedBlocks() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream out = new ParallelGzipOutputStream(bytes, 6, 2)) {
      out.write(MIXED, 0, 4 * BLOCK + 1);
      out.flush();
      assertTrue(bytes.size() > 10, "blocks before the current one are written by flush()");
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new ParallelGzipOutputStream(new ByteArrayOutputStream(), 10, 1));
    assertThrows(IllegalArgumentException.class, () -> new ParallelGzipOutputStream(new ByteArrayOutputStream(), 6, 0));
  }

  private static void assertSingleMemberQuietly(byte[] gz, byte[] data) {
    try {
      assertSingleMember(gz, data);
    } catch (DataFormatException e) {
      fail(e);
    }
  }
}
