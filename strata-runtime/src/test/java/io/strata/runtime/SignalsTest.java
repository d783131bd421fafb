package io.strata.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.strata.errdefs.InvalidArgumentException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --stop-signal} as Docker's ParseSignal reads it. */
class SignalsTest {
  @ParameterizedTest
  @CsvSource({"SIGTERM,15", "TERM,15", "term,15", "sigusr1,10", "USR2,12", "KILL,9", "9,9", "99,99", "+3,3", "CLD,17",
      "POLL,29", "IOT,6", "RTMIN,34", "SIGRTMIN+3,37", "RTMAX-1,63", "RTMAX,64", "WINCH,28", "SYS,31"})
  void names(String raw, int number) {
    assertEquals(number, Signals.parse(raw));
  }

  @ParameterizedTest
  @ValueSource(strings = {"FOO", "0", "", "SIG", "RTMIN+16", "SIGSIGTERM", "1.5"})
  void badSignals(String raw) {
    assertEquals("Invalid signal: " + raw, assertThrows(InvalidArgumentException.class, () -> Signals.parse(raw)).getMessage());
  }
}
