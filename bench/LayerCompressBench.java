import io.strata.layer.ParallelGzipOutputStream;
import io.strata.layer.TarWriter;
import io.strata.layer.WriteOptions;
import io.strata.oci.Digester;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Layer commit throughput: strata's tar writer over TREE, compressed (gzip with pigz's parallel
 * scheme at level 6, or zstd level 3 with one worker per core, or none), with the SHA-256 of the
 * uncompressed tar (the diffID) and of the compressed stream (the blob digest), into a sink that
 * keeps nothing, as `tar | pigz | sha256sum` does. Prints the blob digest; MB/s of tar bytes on stderr.
 * Usage: java -cp CLASSPATH LayerCompressBench gzip|zstd|none TREE
 */
public final class LayerCompressBench {
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path tree = Path.of(args[1]);
    int cores = Runtime.getRuntime().availableProcessors();
    long t0 = System.nanoTime();
    Digester blob = Digester.sha256();
    Digester diffId = Digester.sha256();
    OutputStream sink = new OutputStream() {
      @Override public void write(int b) { blob.update(new byte[] {(byte) b}); }
      @Override public void write(byte[] b, int off, int len) { blob.update(b, off, len); }
    };
    OutputStream compressed = switch (mode) {
      case "gzip" -> new ParallelGzipOutputStream(sink, 6, cores);
      case "zstd" -> {
        var z = new com.github.luben.zstd.ZstdOutputStream(sink, 3);
        z.setWorkers(cores);
        yield z;
      }
      default -> sink;
    };
    OutputStream tar = new OutputStream() {
      @Override public void write(int b) throws java.io.IOException { write(new byte[] {(byte) b}, 0, 1); }
      @Override public void write(byte[] b, int off, int len) throws java.io.IOException {
        if (compressed != sink) diffId.update(b, off, len); // uncompressed: the blob digest is the diffID
        compressed.write(b, off, len);
      }
    };
    var buffered = new java.io.BufferedOutputStream(tar, 1 << 17);
    new TarWriter().writeTree(tree, buffered, WriteOptions.defaults());
    buffered.flush();
    compressed.close();
    double s = (System.nanoTime() - t0) / 1e9;
    long tarBytes = compressed == sink ? blob.count() : diffId.count();
    System.out.println(blob.digest());
    System.err.printf("%s: %d tar bytes -> %d in %.3f s (%.0f MB/s)%n", mode, tarBytes, blob.count(), s, tarBytes / s / 1e6);
  }
}
