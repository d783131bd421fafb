package io.strata.registry.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A registry server in a JVM of its own, for the load and fault tests (which measure its heap and
 * SIGKILL it): {@code --root DIR} or {@code --s3 ENDPOINT BUCKET PREFIX} (S3ProxyFixture's keys).
 * Prints {@code port N} once it listens. Reads commands on stdin: {@code heap} answers
 * {@code heap USED_AFTER_GC PEAK MAX} (bytes); end of input (the test JVM closed it or died) exits.
 */
public final class FaultServerMain {
  private FaultServerMain() {}

  public static void main(String[] args) throws Exception {
    RegistryConfig c = RegistryConfig.defaults().withAddr("127.0.0.1:0").withAccessLog("off");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--root" -> c = c.withRoot(Path.of(args[++i]));
        case "--s3" -> c = c.withS3(new RegistryConfig.S3(args[i + 2], args[i + 3], URI.create(args[i + 1]), S3ProxyFixture.REGION, true,
            S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY, false));
        default -> { }
      }
      if (args[i].equals("--s3")) i += 3;
    }
    RegistryServer server = RegistryServer.start(c);
    System.out.println("port " + server.port());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.equals("heap")) {
        System.gc();
        System.gc();
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
          if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
        }
        System.out.println("heap " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() + " " + peak + " "
            + Runtime.getRuntime().maxMemory());
        System.out.flush();
      }
    }
    Runtime.getRuntime().halt(0); // the test JVM is gone: no graceful stop to wait for
  }
}
