package io.strata.registry.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters served at {@code /metrics} in Prometheus' text format. */
final class Metrics {
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>(); // "method,code"
  final LongAdder bytesIn = new LongAdder();
  final LongAdder bytesOut = new LongAdder();
  final LongAdder uploadsStarted = new LongAdder();
  final LongAdder uploadsCompleted = new LongAdder();
  final AtomicLong inFlight = new AtomicLong();

  void request(String method, int status) {
    requests.computeIfAbsent(method + "," + status, k -> new LongAdder()).increment();
  }

  String render() {
    StringBuilder b = new StringBuilder();
    b.append("# HELP strata_registry_requests_total HTTP requests by method and status.\n");
    b.append("# TYPE strata_registry_requests_total counter\n");
    new TreeMap<>(requests).forEach((k, v) -> {
      String[] mc = k.split(",");
      b.append("strata_registry_requests_total{method=\"").append(mc[0]).append("\",code=\"").append(mc[1])
          .append("\"} ").append(v.sum()).append('\n');
    });
    counter(b, "strata_registry_received_bytes_total", "Request body bytes received.", bytesIn.sum());
    counter(b, "strata_registry_sent_bytes_total", "Response body bytes sent.", bytesOut.sum());
    counter(b, "strata_registry_uploads_started_total", "Upload sessions started.", uploadsStarted.sum());
    counter(b, "strata_registry_uploads_completed_total", "Uploads committed as blobs.", uploadsCompleted.sum());
    b.append("# HELP strata_registry_requests_in_flight Requests being served.\n");
    b.append("# TYPE strata_registry_requests_in_flight gauge\n");
    b.append("strata_registry_requests_in_flight ").append(inFlight.get()).append('\n');
    return b.toString();
  }

  private static void counter(StringBuilder b, String name, String help, long value) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" counter\n");
    b.append(name).append(' ').append(value).append('\n');
  }
}
