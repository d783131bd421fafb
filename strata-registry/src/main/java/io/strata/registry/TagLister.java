package io.strata.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.ResourceExhaustedException;
import io.strata.oci.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A repository's tags ({@code GET /v2/NAME/tags/list}), page by page through {@code Link} headers, bounded. */
public final class TagLister {
  private static final int MAX_PAGES = 1000;
  private static final int MAX_PAGE_BYTES = 4 << 20;
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  private TagLister() {}

  public static List<String> list(RegistryClient client, String repo) {
    List<String> tags = new ArrayList<>();
    URI next = client.uri("/v2/" + repo + "/tags/list");
    for (int page = 0; next != null; page++) {
      if (page == MAX_PAGES) throw new ResourceExhaustedException("tags of " + repo + ": more than " + MAX_PAGES + " pages");
      HttpResponse<InputStream> r = client.send(new RegistryClient.Request("GET", next, Map.of(), null,
          List.of("repository:" + repo + ":pull"), true));
      if (r.statusCode() != 200) throw RegistryErrors.of(r, "list tags of " + repo);
      byte[] body;
      try {
        body = StallWatch.readBounded(r.body(), MAX_PAGE_BYTES);
      } catch (IOException e) {
        throw new UncheckedIOException("list tags of " + repo, e);
      }
      if (body.length > MAX_PAGE_BYTES) throw new ResourceExhaustedException("tags of " + repo + ": a page over 4 MiB");
      JsonNode n = Json.readTree(body, "tags of " + repo);
      n.path("tags").forEach(t -> tags.add(t.asText()));
      Matcher m = NEXT.matcher(r.headers().firstValue("Link").orElse(""));
      next = m.find() ? next.resolve(m.group(1)) : null;
      if (next != null && !RegistryClient.sameOrigin(next, client.uri("/"))) next = null; // never follow to another host
    }
    return tags;
  }
}
