package io.strata.registry.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;

/** One request and its answer, as the handlers use them: blocking (on a virtual thread), streaming. */
final class Exchange {
  final Request request;
  final Response response;
  private Fields query;
  private int status = 200;
  long bytesOut;
  long bytesIn;
  String user = "";

  Exchange(Request request, Response response) {
    this.request = request;
    this.response = response;
  }

  String method() {
    return request.getMethod();
  }

  String path() {
    return Request.getPathInContext(request);
  }

  /** The first line of header {@code name}: for headers sent once. */
  String header(String name) {
    return request.getHeaders().get(name);
  }

  /** Every line of a list header joined with commas, as RFC 9110 5.3 allows a list to be split (null when absent). */
  String headerList(String name) {
    java.util.List<String> values = request.getHeaders().getValuesList(name);
    return values.isEmpty() ? null : String.join(", ", values);
  }

  /** The path as the client sent it, before Jetty decodes and normalises it. */
  String rawPath() {
    return request.getHttpURI().getPath();
  }

  long contentLength() {
    return request.getHeaders().getLongField("Content-Length");
  }

  String query(String name) {
    if (query == null) query = Request.extractQueryParameters(request);
    return query.getValue(name);
  }

  /** Every value of a query parameter given several times; empty when absent. */
  java.util.List<String> queryValues(String name) {
    if (query == null) query = Request.extractQueryParameters(request);
    return query.getValuesOrEmpty(name);
  }

  int status() {
    return status;
  }

  Exchange status(int s) {
    status = s;
    response.setStatus(s);
    return this;
  }

  Exchange set(String name, String value) {
    response.getHeaders().put(name, value);
    return this;
  }

  /** The request body, counted. */
  InputStream body() {
    InputStream in = Request.asInputStream(request);
    return new java.io.FilterInputStream(in) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) bytesIn += n;
        return n;
      }
    };
  }

  /** An answer with no body. */
  void empty() {
    response.getHeaders().put("Content-Length", "0");
  }

  void json(int s, String text) throws IOException {
    bytes(s, "application/json", text.getBytes(StandardCharsets.UTF_8));
  }

  void bytes(int s, String type, byte[] body) throws IOException {
    status(s);
    set("Content-Type", type);
    set("Content-Length", Long.toString(body.length));
    if (method().equals("HEAD")) return;
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      out.write(body);
    }
    bytesOut += body.length;
  }

  /** Streams {@code length} bytes of {@code in} as the body (none for HEAD); headers must be set first. */
  void stream(InputStream in, long length) throws IOException {
    set("Content-Length", Long.toString(length));
    if (method().equals("HEAD")) return;
    try (in; OutputStream out = Content.Sink.asOutputStream(response)) {
      byte[] buf = new byte[256 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        bytesOut += n;
      }
    }
  }
}
