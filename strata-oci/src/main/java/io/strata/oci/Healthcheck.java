package io.strata.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Docker's health check ({@code HEALTHCHECK}); durations are nanoseconds as Docker stores them.
 * {@code test} is {@code ["NONE"]}, {@code ["CMD", args...]} or {@code ["CMD-SHELL", command]}.
 */
@JsonPropertyOrder({"Test", "Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Healthcheck(
    @JsonProperty("Test") List<String> test,
    @JsonProperty("Interval") Long interval,
    @JsonProperty("Timeout") Long timeout,
    @JsonProperty("StartPeriod") Long startPeriod,
    @JsonProperty("StartInterval") Long startInterval,
    @JsonProperty("Retries") Integer retries) {

  public Healthcheck {
    test = Values.list(test, "healthcheck Test");
  }
}
