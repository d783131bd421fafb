package io.strata.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One {@code history} entry of an image config; {@code empty_layer} entries have no diffID. */
@JsonPropertyOrder({"created", "created_by", "author", "comment", "empty_layer"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record History(
    @JsonProperty("created") String created,
    @JsonProperty("created_by") String createdBy,
    @JsonProperty("author") String author,
    @JsonProperty("comment") String comment,
    @JsonProperty("empty_layer") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean emptyLayer) {

  public static History of(String created, String createdBy, String comment, boolean emptyLayer) {
    return new History(created, createdBy, null, comment, emptyLayer);
  }
}
