package io.strata.cli.interop;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * A TCP proxy between strata and a registry on 127.0.0.1 that reads HTTP/1.1 request heads (so it
 * can log each request and answer some itself) and relays responses byte for byte, counting what
 * it forwards. Faults: a canned response instead of the registry's ({@link #respond}); the
 * connection cut after some bytes of a response ({@link #drop}); a response held after some bytes
 * until released ({@link #stall}). Every thread is virtual, every socket has a read
 * timeout, connections are bounded, {@link #close()} ends them all.
 */
final class RegistryProxy implements AutoCloseable {
  private static final int MAX_CONNECTIONS = 1000;
  private static final int MAX_HEAD = 64 * 1024;
  private static final int TIMEOUT_MILLIS = 120_000;

  /** One request seen, and the bytes of the registry's response forwarded for it. */
  record Exchange(int connection, String method, String path, Map<String, String> headers, AtomicLong forwarded) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    boolean is(String m, String pathPart) {
      return method.equals(m) && path.contains(pathPart);
    }
  }

  private sealed interface Fault permits Respond, Cut, CutRequest, Corrupt {
    boolean matches(String method, String path);
  }

  private record Respond(String method, Pattern path, AtomicInteger left, int status, Map<String, String> headers, String body)
      implements Fault {
    public boolean matches(String m, String p) {
      return (method == null || method.equals(m)) && path.matcher(p).find() && left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
  }

  /** A response held by {@link #stall}: until {@link #release()} (or the proxy's reset or close). */
  static final class Stall {
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    boolean awaitStalled(Duration d) throws InterruptedException {
      return stalled.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    void release() {
      released.countDown();
    }
  }

  /** Cut or (with a stall) hold a response once {@code after} bytes of it were forwarded. */
  private record Cut(String method, Pattern path, AtomicInteger left, long after, Stall stall) implements Fault {
    public boolean matches(String m, String p) {
      return (method == null || method.equals(m)) && path.matcher(p).find() && left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
  }

  /** Forward {@code after} bytes of the request body, then close both connections. */
  private record CutRequest(String method, Pattern path, AtomicInteger left, long after) implements Fault {
    public boolean matches(String m, String p) {
      return (method == null || method.equals(m)) && path.matcher(p).find() && left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
  }

  /** Flip the bits of the response's byte at {@code at} (counted from the status line). */
  private record Corrupt(String method, Pattern path, AtomicInteger left, long at) implements Fault {
    public boolean matches(String m, String p) {
      return (method == null || method.equals(m)) && path.matcher(p).find() && left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
  }

  private final ServerSocket server;
  private final int upstreamPort;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Stall> stalls = new CopyOnWriteArrayList<>();

  private RegistryProxy(ServerSocket server, int upstreamPort) {
    this.server = server;
    this.upstreamPort = upstreamPort;
  }

  static RegistryProxy start(int upstreamPort) throws IOException {
    ServerSocket s = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    RegistryProxy p = new RegistryProxy(s, upstreamPort);
    p.threads.submit(p::acceptLoop);
    return p;
  }

  /** {@code 127.0.0.1:PORT}: image references through the proxy. */
  String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  /** Forgets the exchanges, the byte count and every fault; a stalled response is let go. */
  void reset() {
    faults.clear();
    releaseAll();
    exchanges.clear();
    forwarded.set(0);
  }

  /** Bytes of responses forwarded to strata since the last {@link #reset()}. */
  long forwarded() {
    return forwarded.get();
  }

  /** The next {@code times} requests of {@code method} (null: any) whose path matches get this response, not the registry's. */
  void respond(String method, String pathRegex, int times, int status, Map<String, String> headers, String body) {
    faults.add(new Respond(method, Pattern.compile(pathRegex), new AtomicInteger(times), status, Map.copyOf(headers), body));
  }

  /** The next {@code times} responses to matching requests are cut (both connections closed) after {@code after} bytes. */
  void drop(String method, String pathRegex, long after, int times) {
    faults.add(new Cut(method, Pattern.compile(pathRegex), new AtomicInteger(times), after, null));
  }

  /** The next {@code times} matching requests are cut (both connections closed) after {@code after} bytes of their body. */
  void cutRequest(String method, String pathRegex, long after, int times) {
    faults.add(new CutRequest(method, Pattern.compile(pathRegex), new AtomicInteger(times), after));
  }

  /** The next {@code times} matching responses have their byte at {@code at} inverted on the way. */
  void corrupt(String method, String pathRegex, long at, int times) {
    faults.add(new Corrupt(method, Pattern.compile(pathRegex), new AtomicInteger(times), at));
  }

  /** The next matching response is held after {@code after} bytes until the stall is released, then cut. */
  Stall stall(String method, String pathRegex, long after) {
    Stall st = new Stall();
    stalls.add(st);
    faults.add(new Cut(method, Pattern.compile(pathRegex), new AtomicInteger(1), after, st));
    return st;
  }

  void releaseAll() {
    for (Stall st : stalls) st.release();
    stalls.clear();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        int id = connections.incrementAndGet();
        if (id > MAX_CONNECTIONS) {
          client.close();
          continue;
        }
        threads.submit(() -> serve(client, id));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client, int id) {
    Socket up = new Socket();
    open.add(client);
    open.add(up);
    try (client; up) {
      client.setSoTimeout(TIMEOUT_MILLIS);
      up.setSoTimeout(TIMEOUT_MILLIS);
      up.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5000);
      AtomicReference<Exchange> current = new AtomicReference<>();
      AtomicReference<Fault> cut = new AtomicReference<>();
      OutputStream toClient = client.getOutputStream();
      threads.submit(() -> relayResponses(up, client, toClient, current, cut));
      relayRequests(client, up, toClient, id, current, cut);
    } catch (IOException e) {
      // a side closed: the connection ends
    } finally {
      open.remove(client);
      open.remove(up);
    }
  }

  private void relayRequests(Socket client, Socket up, OutputStream toClient, int id, AtomicReference<Exchange> current,
      AtomicReference<Fault> cut) throws IOException {
    InputStream in = new BufferedInputStream(client.getInputStream());
    OutputStream out = up.getOutputStream();
    in.mark(1);
    if (in.read() == 0x16) { // a TLS handshake (strata tries HTTPS first on loopback): relayed as it is, as without the proxy
      in.reset();
      in.transferTo(out);
      return;
    }
    in.reset();
    while (true) {
      byte[] head = readHead(in);
      if (head == null) return;
      String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
      String[] request = lines[0].split(" ");
      if (request.length < 3) return;
      Map<String, String> headers = new HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
      }
      Exchange ex = new Exchange(id, request[0], request[1], Map.copyOf(headers), new AtomicLong());
      exchanges.add(ex);
      long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
      boolean chunked = headers.getOrDefault("transfer-encoding", "").equalsIgnoreCase("chunked");
      Fault fault = faults.stream().filter(f -> f.matches(ex.method(), ex.path())).findFirst().orElse(null);
      if (fault instanceof Respond r) {
        if (!chunked) in.skipNBytes(length);
        StringBuilder resp = new StringBuilder("HTTP/1.1 " + r.status() + " Injected\r\n");
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        resp.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n");
        if (!r.body().isEmpty()) resp.append("Content-Type: application/json\r\n");
        r.headers().forEach((k, v) -> resp.append(k).append(": ").append(v).append("\r\n"));
        resp.append("\r\n");
        synchronized (toClient) {
          toClient.write(resp.toString().getBytes(StandardCharsets.ISO_8859_1));
          toClient.write(body);
          toClient.flush();
        }
        up.close();
        client.close();
        return;
      }
      cut.set(fault instanceof Cut || fault instanceof Corrupt ? fault : null);
      current.set(ex);
      out.write(head);
      if (chunked) {
        in.transferTo(out); // not parsed further: the rest of the connection is relayed as it is
        return;
      }
      long left = fault instanceof CutRequest c ? Math.min(length, c.after()) : length;
      byte[] buf = new byte[64 * 1024];
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) return;
        out.write(buf, 0, n);
        left -= n;
      }
      out.flush();
      if (fault instanceof CutRequest) {
        up.close();
        client.close();
        return;
      }
    }
  }

  private void relayResponses(Socket up, Socket client, OutputStream toClient, AtomicReference<Exchange> current,
      AtomicReference<Fault> fault) {
    try (up; client) {
      InputStream in = up.getInputStream();
      byte[] buf = new byte[64 * 1024];
      while (true) {
        int n = in.read(buf);
        if (n < 0) return;
        Exchange ex = current.get();
        Cut c = fault.get() instanceof Cut cf ? cf : null;
        if (ex != null && fault.get() instanceof Corrupt k) {
          long before = ex.forwarded().get();
          if (k.at() >= before && k.at() < before + n) buf[(int) (k.at() - before)] ^= (byte) 0xff;
        }
        int allowed = n;
        if (ex != null && c != null) allowed = (int) Math.max(0, Math.min(n, c.after() - ex.forwarded().get()));
        synchronized (toClient) {
          toClient.write(buf, 0, allowed);
          toClient.flush();
        }
        if (ex != null) ex.forwarded().addAndGet(allowed);
        forwarded.addAndGet(allowed);
        if (ex != null && c != null && ex.forwarded().get() >= c.after()) {
          if (c.stall() != null) {
            c.stall().stalled.countDown();
            c.stall().released.await(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
          }
          return; // cut: both sockets close
        }
      }
    } catch (IOException e) {
      // closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The bytes up to and including the blank line ending a request head; null at a clean end of stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (head.size() < MAX_HEAD) {
      int b = in.read();
      if (b < 0) return null;
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
          : b == '\r' ? 1 : 0;
      if (matched == 4) return head.toByteArray();
    }
    throw new IOException("request head over " + MAX_HEAD + " bytes");
  }

  /** Exchanges whose method is {@code method} and path contains {@code pathPart}. */
  List<Exchange> matching(String method, String pathPart) {
    List<Exchange> out = new ArrayList<>();
    for (Exchange e : exchanges) if (e.is(method, pathPart)) out.add(e);
    return out;
  }

  @Override
  public void close() throws IOException {
    releaseAll();
    server.close();
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // closing
      }
    }
    threads.shutdownNow();
  }
}
